import type { DispatchStrategy, Picker, WorkerLoad } from './types.js';

/** Uniform choice from the seeded generator, so `--seed` repeats a run's picks exactly. */
export function createRandom(): Picker {
  return {
    pick: (workers: readonly WorkerLoad[], rng: () => number): number => Math.floor(rng() * workers.length),
  };
}

export const random: DispatchStrategy = {
  name: 'random',
  kind: 'dispatch',
  description: 'userland: the primary hands each connection to a uniformly random worker (seeded)',
  supported: () => null,
  createPicker: createRandom,
  needsCloses: false,
};
