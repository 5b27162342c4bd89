// The statistics of a verdict, pure: one estimate and its test on the same statistic, Holm's
// step-down over a family of rows, and the smallest effect a comparison could have detected.
//
// The statistic is the 20% trimmed mean (Yuen's test; Wilcox, "Introduction to Robust Estimation
// and Hypothesis Testing", ch. 4-5): on a shared machine a repetition now and then runs at half
// speed (a neighbour, a build), and one such outlier inflates a plain t-test's variance enough
// to hide a real 20% drop. Trimming drops the extremes and winsorizes the variance; with fewer
// than 5 units nothing is trimmed and it is Student's / Welch's t-test.
//
//   paired  (an A/B run: rep i of both sides ran side by side): d_i = f(current_i) - f(baseline_i),
//           estimate trimmed mean(d), Yuen's one-sample se, h-1 degrees of freedom
//   two runs (no pairs): trimmed mean(f(current)) - trimmed mean(f(baseline)), Yuen-Welch se and
//           degrees of freedom, plus the between-run variance of a noise profile (a VM offset
//           shifts every repetition of a run alike, which the repetitions cannot show)
//
// f is log for ratio metrics (speed, cost: the change is the geometric-mean ratio) and the
// identity for fairness (the change is a difference). The tests are one-sided, one family per
// direction: "regression" claims are what a CI gates on, and Holm holds their family-wise error
// rate at alpha under any dependence between rows; "better" claims get a family of their own.
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { mean, variance } from '../format/stats.js';

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

/** The share trimmed from each end. */
export const TRIM = 0.2;

/**
 * A sample's trimmed mean and the variance of that mean (Yuen): g = floor(0.2 n) values cut from
 * each end, the variance from the winsorized sample, (n - 1) s_w^2 / (h (h - 1)) with h = n - 2g.
 */
export function trimmed(xs: readonly number[]): { mean: number; varOfMean: number; h: number } {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  const g = Math.floor(TRIM * n);
  const h = n - 2 * g;
  const kept = s.slice(g, n - g);
  const wins = s.map((x, i) => (i < g ? s[g] : i >= n - g ? s[n - g - 1] : x));
  return { mean: mean(kept), varOfMean: ((n - 1) * variance(wins)) / (h * (h - 1)), h };
}

/** Paired differences (K >= 2). */
export function pairedEstimate(d: readonly number[]): Estimate {
  const t = trimmed(d);
  // unitVar: what K divides, at this K's trimming.
  return { est: t.mean, se: Math.sqrt(t.varOfMean), df: t.h - 1, n: d.length, unitVar: t.varOfMean * d.length, fixedVar: 0, paired: true };
}

/**
 * Two independent samples (2+ each). `betweenVar`: the variance of one run's mean around the
 * truth beyond its repetitions' (from a noise profile); both runs carry it.
 */
export function welchEstimate(x: readonly number[], y: readonly number[], betweenVar = 0, betweenDf = Infinity): Estimate {
  const [tx, ty] = [trimmed(x), trimmed(y)];
  const [vx, vy] = [tx.varOfMean, ty.varOfMean];
  const b = 2 * betweenVar;
  const se2 = vx + vy + b;
  // Satterthwaite over the three parts: each side's repetitions (h - 1 each) and the between-run
  // variance (its own degrees of freedom: the separate runs it was measured on, less one).
  const dfS = se2 ** 2 / ((vx * vx) / (tx.h - 1) + (vy * vy) / (ty.h - 1) + (b > 0 ? (b * b) / betweenDf : 0));
  const df = Number.isFinite(dfS) ? dfS : tx.h + ty.h - 2;
  return {
    est: ty.mean - tx.mean,
    se: Math.sqrt(se2),
    df,
    n: Math.min(x.length, y.length),
    unitVar: (vx * x.length + vy * y.length) / 2,
    fixedVar: b,
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
  const reach = (k: number): number =>
    detectable(Math.sqrt(e.paired ? e.unitVar / k : (2 * e.unitVar) / k + e.fixedVar), e.paired ? k - 1 : 2 * k - 2, alpha, m, power);
  if (reach(max) > delta) return null;
  // The reach shrinks as k grows: the first k within delta, by bisection.
  let [lo, hi] = [3, max];
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (reach(mid) <= delta) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
