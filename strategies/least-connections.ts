import type { DispatchStrategy, Picker, WorkerLoad } from './types.js';

/**
 * Fewest active connections wins. Ties go to the first tied worker at or after a rotating
 * cursor: "first minimum" alone sends almost everything to worker 0 under a sequential client.
 */
export function createLeastConnections(): Picker {
  let cursor = 0;
  return {
    pick(workers: readonly WorkerLoad[]): number {
      const n = workers.length;
      let best = -1;
      for (let k = 0; k < n; k++) {
        const i = (cursor + k) % n;
        if (best === -1 || workers[i].active < workers[best].active) best = i;
      }
      cursor = (best + 1) % n;
      return best;
    },
  };
}

export const leastConnections: DispatchStrategy = {
  name: 'least-connections',
  kind: 'dispatch',
  description: 'userland: the primary hands each connection to the worker with the fewest open ones',
  supported: () => null,
  createPicker: createLeastConnections,
  needsCloses: true,
};
