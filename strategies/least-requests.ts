import { type DispatchStrategy, HOLD, type Picker, type WorkerLoad } from './types.js';

/**
 * Pull-based: a worker with no request in flight has signalled spare capacity (a credit, as a
 * worker on core RR's free list has); the next connection goes to an idle worker, rotating among
 * them (in the spirit of join-idle-queue). When none is idle the connection is held in the primary
 * (one queue for all workers, as core RR keeps handles until a worker is free) and goes to the
 * first worker that reports it is idle; after `holdMs` (50 ms) without one, to the worker with the fewest
 * requests in flight (ties rotate). `requests` moves with every request, keep-alive ones
 * included: the workers report each start at once (before a long request can block them) and ends
 * batched.
 */
export function createLeastRequests(holdMs = 50): Picker {
  let cursor = 0;
  const idle = (workers: readonly WorkerLoad[]): number => {
    const n = workers.length;
    for (let k = 0; k < n; k++) {
      const i = (cursor + k) % n;
      if (workers[i].requests === 0) {
        cursor = (i + 1) % n;
        return i;
      }
    }
    return HOLD;
  };
  return {
    holdMs,
    pick: (workers: readonly WorkerLoad[]) => idle(workers),
    fallback(workers: readonly WorkerLoad[]): number {
      const n = workers.length;
      let best = cursor % n;
      for (let k = 1; k < n; k++) {
        const i = (cursor + k) % n;
        if (workers[i].requests < workers[best].requests) best = i;
      }
      cursor = (best + 1) % n;
      return best;
    },
  };
}

export const leastRequests: DispatchStrategy = {
  name: 'least-requests',
  kind: 'dispatch',
  description:
    'userland, pull-based: the primary hands each connection to an idle worker (no request in flight); with none idle it holds it for the first that is (up to 50 ms, then the fewest in flight)',
  supported: () => null,
  createPicker: createLeastRequests,
  needsCloses: false,
  needsRequests: true,
};
