// The comparator, proven by simulation: synthetic runs whose noise is fitted from real A/A runs on
// this machine, compared by the real comparator (reports/compare.ts), many times over, seeded.
//
// The noise model, per metric, on the tested scale (log for speed and cost, plain for fairness):
//   value = truth + offset(run) + drift * t + e
//   e        normal, the robust sd of one repetition (from pairs: the MAD of the pair differences / sqrt 2)
//   heavy    + with probability `outlierRate` a slow repetition: a shared event that moves every speed
//            and cost metric of that repetition by its fitted size (the halving seen on a shared box)
//   drift    a trend over the run's repetitions (centred), fitted as the slope of value on repetition
//   offset   between runs (another VM, another boot): normal with the between-run sd; it moves both
//            sides of an A/B run alike (they share the run) and two separate runs apart
// Every assumption is fitted from, and named after, the A/A runs in `source`.
import type { MeasuredStrategy, RunResult } from '../../format/schema.js';
import { mean, median } from '../../format/stats.js';
import {
  type CompareOptions,
  compareAB,
  compareRuns,
  DEFAULT_ALPHA,
  DEFAULT_THRESHOLDS,
  isAB,
  isRatio,
  METRIC_IDS,
  METRICS,
  type MetricId,
  regressions,
} from '../../reports/compare.js';
import type { NoiseProfile } from '../../reports/noise.js';
import { seededRng } from '../../strategies/rng.js';

export interface MetricNoise {
  /** Robust sd of one repetition's value (tested scale). */
  sd: number;
  /** Share of repetitions that are outliers (|pair difference| beyond 3.5 robust sd). */
  outlierRate: number;
  /** Median signed size of an outlier's move (tested scale; rps < 0: slower). */
  outlierSize: number;
  /** Sd of the per-run slope over repetitions (per repetition). */
  drift: number;
  /** Sd of a run's level between runs. */
  between: number;
  /** A typical value (median), for building results. */
  level: number;
}

export interface NoiseFit {
  source: string;
  /** Separate runs it was fitted on (the between-run spread's degrees of freedom + 1). */
  runs: number;
  metrics: Record<MetricId, MetricNoise>;
}

const mad = (xs: readonly number[]): number => 1.4826 * median(xs.map((x) => Math.abs(x - median(xs))));

function slope(ys: readonly number[]): number {
  const xs = ys.map((_, i) => i);
  const [mx, my] = [mean(xs), mean(ys)];
  const sxx = xs.reduce((a, x) => a + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : xs.reduce((a, x, i) => a + (x - mx) * (ys[i] - my), 0) / sxx;
}

/** Fit the noise model from A/A runs: A/B runs give the pairs, plain runs the drift and between-run spread too. */
export function fitNoise(runs: readonly RunResult[], source: string): NoiseFit {
  const metrics = {} as Record<MetricId, MetricNoise>;
  for (const metric of METRIC_IDS) {
    const def = METRICS[metric];
    const f = (s: MeasuredStrategy): number | null => {
      const v = def.value(s);
      return v === null ? null : isRatio(def) ? Math.log(v) : v;
    };
    const pairs: number[] = [];
    const slopes: number[] = [];
    const levels: number[] = [];
    const runMeans = new Map<string, number[]>();
    for (const r of runs) {
      const all = r.strategies.filter((s): s is MeasuredStrategy => !('skipped' in s));
      for (const name of new Set(all.map((s) => s.name))) {
        const mine = all.filter((s) => s.name === name).sort((a, b) => (a.rep ?? 1) - (b.rep ?? 1));
        const sides = isAB(r) ? (['baseline', 'current'] as const) : ([undefined] as const);
        for (const v of sides) {
          const xs = mine
            .filter((s) => s.variant === v)
            .map(f)
            .filter((x): x is number => x !== null);
          if (xs.length < 3) continue;
          slopes.push(slope(xs));
          levels.push(median(xs));
          if (!isAB(r)) runMeans.set(name, [...(runMeans.get(name) ?? []), median(xs)]);
        }
        if (isAB(r)) {
          const base = new Map(mine.filter((s) => s.variant === 'baseline').map((s) => [s.rep ?? 1, f(s)]));
          for (const s of mine.filter((x) => x.variant === 'current')) {
            const [b, c] = [base.get(s.rep ?? 1), f(s)];
            if (b != null && c !== null) pairs.push(c - b);
          }
        }
      }
    }
    const pairSd = mad(pairs);
    const outliers = pairs.filter((d) => Math.abs(d - median(pairs)) > 3.5 * Math.max(pairSd, 1e-12));
    // An outlier pair is one slow repetition on one side: its size is the pair's |difference|, signed the slow way.
    const slowSign = metric === 'rps' ? -1 : 1;
    const between = [...runMeans.values()].filter((xs) => xs.length >= 2).map((xs) => mad(xs));
    metrics[metric] = {
      sd: pairSd / Math.SQRT2,
      outlierRate: pairs.length === 0 ? 0 : outliers.length / (2 * pairs.length),
      outlierSize: isRatio(def) && outliers.length > 0 ? slowSign * median(outliers.map(Math.abs)) : 0,
      drift: mad(slopes),
      between: between.length === 0 ? 0 : median(between),
      level: median(levels),
    };
  }
  return { source, runs: new Set(runs.map((r) => r.runId)).size, metrics };
}

export type NoiseModel = 'normal' | 'heavy' | 'heavy+drift' | 'heavy+drift+vm';
export const NOISE_MODELS: NoiseModel[] = ['normal', 'heavy', 'heavy+drift', 'heavy+drift+vm'];

/** A change put into the current side: a metric of one strategy, multiplied (speed, cost) or shifted (fairness). */
export interface Effect {
  strategy: string;
  metric: MetricId;
  /** rps 0.8: a 20% drop; primaryCpu 2: doubled. */
  factor: number;
}

const STRATEGIES = ['rr', 'none', 'least-connections', 'p2c', 'user'];

function normal(rng: () => number): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** One synthetic strategy entry with the metrics the comparator reads. */
function entry(name: string, rep: number, v: Record<MetricId, number>, variant?: 'baseline' | 'current'): MeasuredStrategy {
  const ok = 1000;
  const top = Math.min(0.99, Math.max(0.5, v.topShare));
  return {
    name,
    kind: 'native',
    description: name,
    rep,
    ...(variant && { variant }),
    workers: [
      { id: 1, pid: 1 },
      { id: 2, pid: 2 },
    ],
    totals: { sent: ok, ok, errors: 0, mismatches: 0, accounted: true },
    perWorker: [
      { id: 1, pid: 1, client: top * ok, server: top * ok, connections: top * ok, share: top, latencyMs: null },
      { id: 2, pid: 2, client: (1 - top) * ok, server: (1 - top) * ok, connections: (1 - top) * ok, share: 1 - top, latencyMs: null },
    ],
    rounds: [],
    metrics: { jain: v.jain, cv: v.cv, maxMin: 1, roundSkew: v.roundSkew, topShare: top },
    latencyMs: { p50: v.p50, p90: v.p50, p99: v.p99, p999: v.p99, max: v.p99, mean: v.p50 },
    latencyCurve: [],
    rps: v.rps,
    wallMs: 1000,
    cpuMs: { primary: (v.primaryCpu * ok) / 1000, workers: (v.workerCpu * ok) / 1000, loadGen: (v.loadGenCpu * ok) / 1000 },
    errorsByCode: {},
    problems: [],
  };
}

interface SimOptions {
  model: NoiseModel;
  /** Pairs (A/B) or repetitions per run (two runs). */
  k: number;
  paired: boolean;
  effect?: Effect;
}

/** One simulated comparison: the same five strategies and ten metrics as the real A/A runs. */
export function simulate(fit: NoiseFit, o: SimOptions, rng: () => number, compare: CompareOptions): { flagged: string[] } {
  const heavy = o.model !== 'normal';
  const drift = o.model.includes('drift');
  const vm = o.model.includes('vm');
  // Per run (an A/B run is one run; two runs are two): its offsets, its drift slopes.
  const runState = () => {
    const off = {} as Record<MetricId, number>;
    const slp = {} as Record<MetricId, number>;
    for (const m of METRIC_IDS) {
      off[m] = vm ? normal(rng) * fit.metrics[m].between : 0;
      slp[m] = drift ? normal(rng) * fit.metrics[m].drift : 0;
    }
    return { off, slp };
  };
  const value = (state: ReturnType<typeof runState>, name: string, t: number, current: boolean): Record<MetricId, number> => {
    const slow =
      heavy &&
      rng() <
        median(
          METRIC_IDS.map((m) => fit.metrics[m].outlierRate)
            .filter((x) => x > 0)
            .concat([0]),
        );
    const v = {} as Record<MetricId, number>;
    for (const m of METRIC_IDS) {
      const n = fit.metrics[m];
      let x = n.level + state.off[m] + state.slp[m] * t + normal(rng) * n.sd + (slow ? n.outlierSize : 0);
      if (current && o.effect && o.effect.strategy === name && o.effect.metric === m)
        x += isRatio(METRICS[m]) ? Math.log(o.effect.factor) : o.effect.factor;
      v[m] = isRatio(METRICS[m]) ? Math.exp(x) : x;
    }
    return v;
  };
  const runOf = (strategies: MeasuredStrategy[], ab: boolean): RunResult =>
    ({
      runId: `sim-${Math.floor(rng() * 1e9)}`,
      env: { platform: 'linux', arch: 'x64', cpuModel: 'sim', cores: 2, node: 'v20' },
      options: { workers: 2, load: 'burst', connections: 200, rounds: 5, runs: o.k, ...(ab && { baseline: {} }) },
      strategies,
    }) as unknown as RunResult;
  let c: ReturnType<typeof compareAB>;
  if (o.paired) {
    const state = runState();
    const strategies: MeasuredStrategy[] = [];
    for (let rep = 1; rep <= o.k; rep++)
      for (const name of STRATEGIES) {
        // ABBA: the two sides two steps apart in time at most.
        const t = 2 * rep + (rep % 2 === 1 ? 0 : 1) - o.k - 1; // centred: a run's level is `offset`'s
        strategies.push(entry(name, rep, value(state, name, t, false), 'baseline'));
        strategies.push(entry(name, rep, value(state, name, t + (rep % 2 === 1 ? 1 : -1), true), 'current'));
      }
    c = compareAB({ label: 'sim', result: runOf(strategies, true) }, compare);
  } else {
    const side = (current: boolean): RunResult => {
      const state = runState();
      const strategies: MeasuredStrategy[] = [];
      for (let rep = 1; rep <= o.k; rep++)
        for (const name of STRATEGIES) strategies.push(entry(name, rep, value(state, name, rep - (o.k + 1) / 2, current)));
      return runOf(strategies, false);
    };
    c = compareRuns({ label: 'a', result: side(false) }, { label: 'b', result: side(true) }, compare);
  }
  return { flagged: regressions(c).map((r) => `${r.strategy} ${r.metric}`) };
}

/** The noise profile the fit implies (what `compare --noise` would read for two-run comparisons). */
export function profileOfFit(fit: NoiseFit): NoiseProfile {
  const metrics = Object.fromEntries(
    METRIC_IDS.map((m) => {
      const n = fit.metrics[m];
      const rep = n.sd ** 2 + n.outlierRate * n.outlierSize ** 2;
      return [m, { pairVar: 2 * rep, repVar: rep, betweenVar: n.between ** 2 }];
    }),
  );
  return {
    kind: 'cluster-sched-bench noise profile',
    version: 1,
    description: `fitted: ${fit.source}`,
    created: '',
    k: 8,
    runs: [],
    separateRuns: fit.runs,
    metrics,
    strategies: {},
  };
}

export interface SimRow {
  model: NoiseModel;
  k: number;
  paired: boolean;
  trials: number;
  /** Comparisons with any regression flagged, A/A. */
  falseAlarm: number;
  /** 20% req/s drop in one strategy: flagged on that row, nothing else flagged. */
  powerRps: number;
  /** Primary CPU per connection doubled in one strategy: the same. */
  powerCpu: number;
}

export function simulateTable(fit: NoiseFit, ks: number[], trials: number, seed: number, models = NOISE_MODELS, paired = [true]): SimRow[] {
  const rng = seededRng(seed);
  const rows: SimRow[] = [];
  for (const p of paired)
    for (const model of models)
      for (const k of ks) {
        const compare: CompareOptions = {
          thresholds: { ...DEFAULT_THRESHOLDS },
          alpha: DEFAULT_ALPHA,
          ...(!p && { noise: profileOfFit(fit) }),
        };
        let fa = 0;
        let pr = 0;
        let pc = 0;
        for (let i = 0; i < trials; i++) {
          if (simulate(fit, { model, k, paired: p }, rng, compare).flagged.length > 0) fa++;
          const r = simulate(fit, { model, k, paired: p, effect: { strategy: 'user', metric: 'rps', factor: 0.8 } }, rng, compare).flagged;
          if (r.includes('user rps')) pr++;
          const c = simulate(
            fit,
            { model, k, paired: p, effect: { strategy: 'user', metric: 'primaryCpu', factor: 2 } },
            rng,
            compare,
          ).flagged;
          if (c.includes('user primaryCpu')) pc++;
        }
        rows.push({ model, k, paired: p, trials, falseAlarm: fa / trials, powerRps: pr / trials, powerCpu: pc / trials });
      }
  return rows;
}
