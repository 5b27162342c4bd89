import { randomInt } from 'node:crypto';

/** mulberry32: a small, fast, seedable 32-bit generator; returns values in [0, 1). */
export function seededRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A fresh seed for runs that did not pass --seed (recorded in the results). */
export const newSeed = (): number => randomInt(0, 2 ** 31 - 1);
