// Fairness metrics, exactly as the README's Metrics section defines them. Pure functions.
import type { Metrics } from '../format/schema.js';
import { jain } from '../format/stats.js';

// Jain's fairness index: one definition, in format/stats.ts (the reports use it too).
export { jain };

const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

/** Coefficient of variation: population standard deviation / mean (0 when the mean is 0). */
export function cv(xs: readonly number[]): number {
  const n = xs.length;
  const mean = sum(xs) / n;
  if (n === 0 || mean === 0) return 0;
  const variance = xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n;
  return Math.sqrt(variance) / mean;
}

/** max/min; Infinity when some worker got nothing (and something else got something). */
export function maxMin(xs: readonly number[]): number {
  const max = Math.max(...xs);
  const min = Math.min(...xs);
  if (max === 0) return 1;
  return min === 0 ? Infinity : max / min;
}

/** Largest share of the total (0 when the total is 0). */
export function topShare(xs: readonly number[]): number {
  const t = sum(xs);
  return t === 0 ? 0 : Math.max(...xs) / t;
}

export function shares(xs: readonly number[]): number[] {
  const t = sum(xs);
  return xs.map((x) => (t === 0 ? 0 : x / t));
}

/**
 * Nearest-rank percentile of an ascending-sorted array: the smallest value with at least p% of
 * values at or below it. p in (0, 100]. NaN for an empty array.
 */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  // The epsilon absorbs float error: (99.9 / 100) * 1000 is 999.0000000000001, which would round up a rank.
  const rank = Math.min(n, Math.max(1, Math.ceil((p * n) / 100 - 1e-9)));
  return sorted[rank - 1];
}

export function percentile(values: readonly number[], p: number): number {
  return percentileSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/** Fairness metrics of per-worker counts (zeros included) and per-round top shares. */
/**
 * Fairness metrics of per-worker counts (zeros included) and the top shares of the rounds that
 * had responses. No response at all is not a perfect spread: every metric is null, and `noData`
 * says why.
 */
export function fairness(counts: readonly number[], roundTopShares: readonly number[]): Metrics {
  if (sum(counts) === 0)
    return { jain: null, cv: null, maxMin: null, topShare: null, roundSkew: null, noData: 'no response reached the client' };
  const mm = maxMin(counts);
  return {
    jain: jain(counts),
    cv: cv(counts),
    maxMin: Number.isFinite(mm) ? mm : null,
    topShare: topShare(counts),
    roundSkew: roundTopShares.length === 0 ? null : percentile(roundTopShares, 95),
  };
}

export const CURVE_PERCENTILES = [50, 75, 90, 95, 99, 99.9] as const;
