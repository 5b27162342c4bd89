import type { DispatchStrategy, Picker, WorkerLoad } from './types.js';

/**
 * Pull-based: a worker with no request in flight has signalled spare capacity (a credit, as a
 * worker on core RR's free list has); the next connection goes to an idle worker, rotating among
 * them (in the spirit of join-idle-queue). When none is idle, the one with the fewest requests in
 * flight gets it (ties rotate). `requests` moves with every request, keep-alive ones included:
 * the workers report each start at once (before a long request can block them) and ends batched.
 */
export function createLeastRequests(): Picker {
  let cursor = 0;
  return {
    pick(workers: readonly WorkerLoad[]): number {
      const n = workers.length;
      let best = -1;
      for (let k = 0; k < n; k++) {
        const i = (cursor + k) % n;
        if (workers[i].requests === 0) {
          best = i; // idle: it asked for work
          break;
        }
        if (best === -1 || workers[i].requests < workers[best].requests) best = i;
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
    'userland, pull-based: the primary hands each connection to an idle worker (no request in flight), else to the one with the fewest requests in flight',
  supported: () => null,
  createPicker: createLeastRequests,
  needsCloses: false,
  needsRequests: true,
};
