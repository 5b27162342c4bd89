// The statistics of a verdict, pure: one estimate and its test on the same statistic, Holm's
// step-down over a family of rows, and the smallest effect a comparison could have detected.
//
//   paired  (an A/B run: rep i of both sides ran side by side): d_i = f(current_i) - f(baseline_i),
//           estimate mean(d), se sd(d)/sqrt(K), Student t with K-1 degrees of freedom
//   two runs (no pairs): estimate mean(f(current)) - mean(f(baseline)), Welch's se and degrees of
//           freedom, plus the between-run variance of a noise profile (a VM offset shifts every
//           repetition of a run alike, which the repetitions cannot show)
//
// f is log for ratio metrics (speed, cost: the change is the geometric-mean ratio) and the
// identity for fairness (the change is a difference). The tests are one-sided, one family per
// direction: "regression" claims are what a CI gates on, and Holm holds their family-wise error
// rate at alpha under any dependence between rows; "better" claims get a family of their own.
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface Estimate {
  /** On the metric's scale (log for ratios): current minus baseline. */
  est: number;
  /** Its standard error. */
  se: number;
  df: number;
  /** Units on each side (pairs, or the smaller side's repetitions). */
  n: number;
  /** se^2 = unitVar / K (paired) or 2 unitVar / K + fixedVar (two runs of K each): what more repetitions buy. */
  unitVar: number;
  /** The part of se^2 no number of repetitions removes (two runs: each run's between-run variance). */
  fixedVar: number;
  paired: boolean;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0) / xs.length;
const variance = (xs: readonly number[]): number => {
  const m = mean(xs);
  return xs.reduce((a, x) => a + (x - m) ** 2, 0) / (xs.length - 1);
};

/** Paired differences (K >= 2). */
export function pairedEstimate(d: readonly number[]): Estimate {
  const v = variance(d);
  return { est: mean(d), se: Math.sqrt(v / d.length), df: d.length - 1, n: d.length, unitVar: v, fixedVar: 0, paired: true };
}

/**
 * Two independent samples (2+ each). `betweenVar`: the variance of one run's mean around the
 * truth beyond its repetitions' (from a noise profile); both runs carry it.
 */
export function welchEstimate(x: readonly number[], y: readonly number[], betweenVar = 0): Estimate {
  const vx = variance(x) / x.length;
  const vy = variance(y) / y.length;
  const se2 = vx + vy + 2 * betweenVar;
  // Welch-Satterthwaite on the repetitions' part; the between-run part is taken as known (from many runs).
  const dfW = (vx + vy) ** 2 / ((vx * vx) / (x.length - 1) + (vy * vy) / (y.length - 1));
  const df = Number.isFinite(dfW) ? dfW : x.length + y.length - 2;
  return {
    est: mean(y) - mean(x),
    se: Math.sqrt(se2),
    df,
    n: Math.min(x.length, y.length),
    unitVar: (variance(x) + variance(y)) / 2,
    fixedVar: 2 * betweenVar,
    paired: false,
  };
}

/**
 * One-sided p-values of "the true change is > 0" (up) and "< 0" (down). Without spread (a seeded
 * picker repeats exactly) a change is certain and no change is none.
 */
export function oneSided(e: Estimate): { up: number; down: number } {
  const scale = Math.max(Math.abs(e.est), 1e-12);
  if (!(e.se > 1e-9 * scale) || e.df <= 0) {
    if (Math.abs(e.est) <= 1e-12) return { up: 1, down: 1 };
    return e.est > 0 ? { up: 0, down: 1 } : { up: 1, down: 0 };
  }
  const t = e.est / e.se;
  return { up: 1 - tCdf(t, e.df), down: tCdf(t, e.df) };
}

/** A two-sided interval at `level` around the estimate, on the metric's scale. */
export function interval(e: Estimate, level = 0.95): [number, number] {
  if (!(e.se > 0) || e.df <= 0) return [e.est, e.est];
  const h = tQuantile(1 - (1 - level) / 2, e.df) * e.se;
  return [e.est - h, e.est + h];
}

/** Holm's step-down adjustment: adjusted p-values in the input order (reject where adjusted < alpha). */
export function holm(ps: readonly number[]): number[] {
  const order = ps.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (ps.length - rank) * p));
    out[i] = running;
  });
  return out;
}

/** The default power of a detectable-effect report. */
export const POWER = 0.8;

/**
 * The smallest true change (on the metric's scale) this comparison would flag with probability
 * `power`: one-sided at alpha / m, which is where Holm tests a lone change (its first step).
 */
export function detectable(se: number, df: number, alpha: number, m: number, power = POWER): number {
  if (!(se > 0) || df <= 0) return 0;
  return (tQuantile(1 - alpha / Math.max(m, 1), df) + tQuantile(power, df)) * se;
}

/**
 * The pairs (or repetitions a side) that would detect `delta` at this noise, from 3; null past
 * `max` (or never: between-run noise alone is too wide for it).
 */
export function unitsFor(delta: number, e: Estimate, alpha: number, m: number, max = 1000, power = POWER): number | null {
  if (!(e.unitVar > 0) && !(e.fixedVar > 0)) return 3;
  for (let k = 3; k <= max; k++) {
    const se = Math.sqrt(e.paired ? e.unitVar / k : (2 * e.unitVar) / k + e.fixedVar);
    if (detectable(se, e.paired ? k - 1 : 2 * k - 2, alpha, m, power) <= delta) return k;
  }
  return null;
}
