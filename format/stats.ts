// Small statistics over repeated measurements: runs repeated on a noisy machine (--runs, the
// benchmark scripts) are reported as median [min-max], and comparisons as ratios taken within
// the same repetition.

export const mean = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;

/** Sample variance (n - 1); NaN with fewer than 2 values. */
export function variance(xs: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 === 1 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** "median [min–max]" with `digits` decimals. */
export function spread(xs: readonly number[], digits = 2): string {
  if (xs.length === 0) return 'n/a';
  const f = (x: number): string => x.toFixed(digits);
  return `${f(median(xs))} [${f(Math.min(...xs))}–${f(Math.max(...xs))}]`;
}

/** Per-repetition ratios a[i] / b[i]: the comparison that survives machine-wide noise. */
export const ratios = (a: readonly number[], b: readonly number[]): number[] => a.map((x, i) => x / b[i]);

/** One measurement: `strategy` in repetition `rep`. */
export interface RepSample {
  strategy: string;
  rep: number;
  value: number;
}

/**
 * value / baseline's value of the same rep, for every rep where both exist and the baseline is
 * not 0. A ratio across reps would mix two different states of a shared, noisy machine.
 */
export function sameRepRatios(samples: readonly RepSample[], strategy: string, baseline: string): number[] {
  const base = new Map<number, number>();
  for (const s of samples) if (s.strategy === baseline) base.set(s.rep, s.value);
  const out: number[] = [];
  for (const s of samples) {
    const b = base.get(s.rep);
    if (s.strategy === strategy && b !== undefined && b !== 0 && Number.isFinite(s.value)) out.push(s.value / b);
  }
  return out;
}

/** Median and range of repeated values (`mid` NaN when there are none). */
export interface Spread {
  mid: number;
  lo: number;
  hi: number;
  n: number;
}

export function spreadOf(xs: readonly number[]): Spread {
  return { mid: median(xs), lo: xs.length ? Math.min(...xs) : NaN, hi: xs.length ? Math.max(...xs) : NaN, n: xs.length };
}

/** Jain's fairness index T^2 / (n * sum x_i^2). 1 when all are equal (also all zero). */
export function jain(xs: readonly number[]): number {
  const n = xs.length;
  const t = xs.reduce((a, x) => a + x, 0);
  const sq = xs.reduce((a, x) => a + x * x, 0);
  return sq === 0 ? 1 : (t * t) / (n * sq);
}

/** The "one hot worker" signature: a worker above `factor` times its even share for at least `minSteps` steps in a row. */
export interface HotWorker {
  /** Its index in the steps' columns. */
  worker: number;
  /** The first and last step of its longest such run (indexes into the steps). */
  from: number;
  to: number;
  /** Its largest multiple of the even share in that run. */
  peak: number;
}

/**
 * Steps (rounds, or seconds of a timed load) of per-worker counts: the worker with the longest run
 * of steps above `factor` x the even share (total / workers), if that run is at least `minSteps`
 * long; steps with fewer responses than workers (nothing to share) break a run. A skew that comes
 * and goes shows here where the whole run's shares average it away.
 */
export function hotWorker(steps: ReadonlyArray<readonly number[]>, minSteps = 3, factor = 2): HotWorker | null {
  let best: HotWorker | null = null;
  const n = steps[0]?.length ?? 0;
  for (let w = 0; w < n; w++) {
    let from = -1;
    let peak = 0;
    for (let i = 0; i <= steps.length; i++) {
      const row = steps[i];
      const total = row ? row.reduce((a, x) => a + x, 0) : 0;
      const ratio = row && total >= n ? row[w] / (total / n) : 0;
      if (ratio > factor) {
        if (from < 0) from = i;
        peak = Math.max(peak, ratio);
        continue;
      }
      if (from >= 0 && i - from >= minSteps && (best === null || i - from > best.to - best.from + 1))
        best = { worker: w, from, to: i - 1, peak };
      from = -1;
      peak = 0;
    }
  }
  return best;
}
