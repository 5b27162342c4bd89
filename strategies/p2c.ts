import type { DispatchStrategy, Picker, WorkerLoad } from './types.js';

/**
 * Power of two choices: draw two different workers at random and take the one with fewer active
 * connections (the first drawn on a tie). O(1) per pick whatever the worker count, and with two
 * choices instead of one the most loaded worker stays within O(log log n) of the mean, close to
 * least-connections' fairness without its linear scan (Mitzenmacher, 2001).
 */
export function createP2c(): Picker {
  return {
    pick(workers: readonly WorkerLoad[], rng: () => number): number {
      const n = workers.length;
      if (n === 1) return 0;
      const a = Math.floor(rng() * n);
      // A second draw among the other n - 1: always a different worker, still uniform.
      let b = Math.floor(rng() * (n - 1));
      if (b >= a) b++;
      return workers[b].active < workers[a].active ? b : a;
    },
  };
}

export const p2c: DispatchStrategy = {
  name: 'p2c',
  kind: 'dispatch',
  description: 'userland: the primary draws two workers at random and hands the connection to the one with fewer open ones',
  supported: () => null,
  createPicker: createP2c,
  needsCloses: true,
};
