// Baseline against current: per strategy and metric, the change and a verdict. Pure; reads result
// documents only.
//
//   comparable? (same load settings: workers, load, connections, rounds, duration, rate, work, server)
//     no  -> the differences, one line each (the command exits 2)
//     yes -> per strategy on both sides, per metric: baseline and current over their repetitions
//            (median [min–max]), the change (fairness: absolute; speed: ratio), a Welch t-test on
//            the repetitions when both sides have 3 or more (Node's benchmark/compare.R method),
//            and a verdict: better / same / worse / regression.
//
// A change beyond its threshold in the bad direction is a regression only when the test says it
// is outside the noise (p < alpha); inside the noise it is `worse`. With fewer than 3 runs a side
// there is no test and the thresholds alone decide (the report says so).
import ttest2 from '@stdlib/stats-ttest2';
import { comparableSettings } from '../format/loads.js';
import { type MeasuredStrategy, measured, type RunResult } from '../format/schema.js';
import { type Spread, spreadOf } from '../format/stats.js';
import { msText, pct } from './text.js';

export type Verdict = 'better' | 'same' | 'worse' | 'regression';

interface MetricDef {
  label: string;
  /** Fairness is judged by absolute difference (values live in [0, 1]); speed by ratio. */
  kind: 'fairness' | 'speed';
  better: 'higher' | 'lower';
  unit: string;
  /**
   * How much it may move before it counts: fairness as an absolute difference (Jain 0.02), speed as
   * a fraction of the baseline (req/s 0.10 = 10%). The defaults fit a shared 2-core box; an A/A
   * run of the machine (`--aa`) measures its own.
   */
  threshold: number;
  /** null: nothing to compare (no response came back). */
  value(s: MeasuredStrategy): number | null;
  /** A value as the tables print it. */
  text(x: number): string;
}

const share = (x: number): string => `${pct(x)}%`;

/** Every compared metric, in table order: adding one is an entry here. */
export const METRICS = {
  jain: {
    label: 'Jain',
    kind: 'fairness',
    better: 'higher',
    unit: '',
    threshold: 0.02,
    value: (s) => s.metrics.jain,
    text: (x) => x.toFixed(4),
  },
  cv: { label: 'CV', kind: 'fairness', better: 'lower', unit: '', threshold: 0.05, value: (s) => s.metrics.cv, text: (x) => x.toFixed(3) },
  roundSkew: {
    label: 'round skew',
    kind: 'fairness',
    better: 'lower',
    unit: 'share',
    threshold: 0.1,
    value: (s) => s.metrics.roundSkew,
    text: share,
  },
  topShare: {
    label: 'top share',
    kind: 'fairness',
    better: 'lower',
    unit: 'share',
    threshold: 0.05,
    value: (s) => s.metrics.topShare,
    text: share,
  },
  rps: {
    label: 'req/s',
    kind: 'speed',
    better: 'higher',
    unit: 'req/s',
    threshold: 0.1,
    value: (s) => s.rps,
    text: (x) => String(Math.round(x)),
  },
  p50: {
    label: 'p50 ms',
    kind: 'speed',
    better: 'lower',
    unit: 'ms',
    threshold: 0.2,
    value: (s) => s.latencyMs?.p50 ?? null,
    text: msText,
  },
  p99: {
    label: 'p99 ms',
    kind: 'speed',
    better: 'lower',
    unit: 'ms',
    threshold: 0.3,
    value: (s) => s.latencyMs?.p99 ?? null,
    text: msText,
  },
} satisfies Record<string, MetricDef>;
export type MetricId = keyof typeof METRICS;
export const METRIC_IDS = Object.keys(METRICS) as MetricId[];

/** How much each metric may move before it counts (see MetricDef.threshold). */
export type Thresholds = Record<MetricId, number>;
export const DEFAULT_THRESHOLDS: Thresholds = Object.fromEntries(METRIC_IDS.map((m) => [m, METRICS[m].threshold])) as Thresholds;
export const DEFAULT_ALPHA = 0.05;

export interface CompareOptions {
  thresholds: Thresholds;
  /** Significance level of the t-test. */
  alpha: number;
}

/** Settings that must match for a comparison to mean anything, besides the load mode's own (format/loads.ts). */
const SETTINGS = ['workers', 'load', 'work', 'server'] as const;

/** Each setting that differs, as `workers: 2 vs 4`; empty when the runs are comparable. */
export function settingDifferences(a: RunResult, b: RunResult): string[] {
  const get = (r: RunResult, k: string): unknown => (r.options as Record<string, unknown>)[k];
  const keys = [...SETTINGS, ...(a.options.load === b.options.load ? comparableSettings(a.options) : [])];
  return keys.filter((k) => get(a, k) !== get(b, k)).map((k) => `${k}: ${get(a, k) ?? '(none)'} vs ${get(b, k) ?? '(none)'}`);
}

export interface Side {
  label: string;
  runId: string;
  platform: string;
  arch: string;
  node: string;
  cpu: string;
  runs: number;
}

export interface CompareRow {
  strategy: string;
  metric: MetricId;
  baseline: Spread;
  current: Spread;
  /** Fairness: current - baseline; speed: current / baseline - 1. */
  change: number;
  /** Welch t-test p-value on the repetitions; null without 3+ runs a side. */
  p: number | null;
  verdict: Verdict;
}

export interface Comparison {
  baseline: Side;
  current: Side;
  /** Allowed differences shown in the header (platform, arch, Node, CPU). */
  environment: string[];
  /** Both sides had 3 or more repetitions of every compared strategy: verdicts are noise-aware. */
  tested: boolean;
  options: CompareOptions;
  rows: CompareRow[];
  onlyInBaseline: string[];
  onlyInCurrent: string[];
}

const sideOf = (r: RunResult, label: string): Side => ({
  label,
  runId: r.runId,
  platform: r.env.platform,
  arch: r.env.arch,
  node: r.env.clusterNode ?? r.env.node,
  cpu: `${r.env.cpuModel}, ${r.env.cores} cores`,
  runs: r.options.runs ?? 1,
});

/** Per strategy name, its repetitions. */
function reps(r: RunResult): Map<string, MeasuredStrategy[]> {
  const m = new Map<string, MeasuredStrategy[]>();
  for (const s of measured(r.strategies)) m.set(s.name, [...(m.get(s.name) ?? []), s]);
  return m;
}

const variance = (xs: readonly number[]): number => {
  const mean = xs.reduce((a, x) => a + x, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1);
};

/**
 * Two-sided Welch t-test p-value. Two samples without spread (a seeded picker repeats exactly;
 * float noise aside) differ surely (0) or not at all (1).
 */
export function welchP(a: readonly number[], b: readonly number[]): number {
  const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
  const scale = Math.max(Math.abs(mean(a)), Math.abs(mean(b)), 1e-300);
  const flat = Math.sqrt(variance(a)) + Math.sqrt(variance(b)) <= 1e-9 * scale;
  const p = flat ? NaN : ttest2([...b], [...a]).pValue;
  if (Number.isFinite(p)) return p;
  return Math.abs(mean(a) - mean(b)) <= 1e-9 * scale ? 1 : 0;
}

/** The change in the metric's own terms: absolute for fairness, relative for speed. */
export const changeOf = (m: MetricDef, base: number, cur: number): number =>
  m.kind === 'fairness' ? cur - base : base === 0 ? (cur === 0 ? 0 : Infinity) : cur / base - 1;

export function verdictOf(m: MetricDef, change: number, threshold: number, p: number | null, alpha: number): Verdict {
  const worse = m.better === 'higher' ? -change : change; // > 0: moved the bad way
  const inNoise = p !== null && p >= alpha;
  if (worse > threshold) return inNoise ? 'worse' : 'regression';
  if (-worse > threshold && !inNoise) return 'better';
  return 'same';
}

/** Compare two runs with the same load settings (check `settingDifferences` first). */
export function compareRuns(
  base: { label: string; result: RunResult },
  cur: { label: string; result: RunResult },
  o: CompareOptions,
): Comparison {
  const a = reps(base.result);
  const b = reps(cur.result);
  const names = [...a.keys()].filter((n) => b.has(n));
  const tested = names.length > 0 && names.every((n) => (a.get(n)?.length ?? 0) >= 3 && (b.get(n)?.length ?? 0) >= 3);
  const rows: CompareRow[] = [];
  for (const name of names) {
    const as = a.get(name) ?? [];
    const bs = b.get(name) ?? [];
    for (const metric of METRIC_IDS) {
      const m = METRICS[metric];
      const x = as.map(m.value).filter((v): v is number => v !== null);
      const y = bs.map(m.value).filter((v): v is number => v !== null);
      if (x.length === 0 || y.length === 0) continue; // no response on one side: nothing to compare
      const baseline = spreadOf(x);
      const current = spreadOf(y);
      const change = changeOf(m, baseline.mid, current.mid);
      const p = x.length >= 3 && y.length >= 3 ? welchP(x, y) : null;
      rows.push({ strategy: name, metric, baseline, current, change, p, verdict: verdictOf(m, change, o.thresholds[metric], p, o.alpha) });
    }
  }
  const env = (f: (s: Side) => string, what: string): string[] => {
    const [l, r] = [f(sideOf(base.result, base.label)), f(sideOf(cur.result, cur.label))];
    return l === r ? [] : [`${what}: ${l} vs ${r}`];
  };
  return {
    baseline: sideOf(base.result, base.label),
    current: sideOf(cur.result, cur.label),
    environment: [...env((s) => `${s.platform} ${s.arch}`, 'platform'), ...env((s) => s.node, 'Node'), ...env((s) => s.cpu, 'CPU')],
    tested,
    options: o,
    rows,
    onlyInBaseline: [...a.keys()].filter((n) => !b.has(n)),
    onlyInCurrent: [...b.keys()].filter((n) => !a.has(n)),
  };
}

/**
 * The run against itself: odd repetitions against even ones (interleaved, so drift lands on both
 * halves). What it reports as change is this machine's noise.
 */
export function splitHalves(r: RunResult): [RunResult, RunResult] {
  const half = (odd: boolean): RunResult => ({
    ...r,
    options: { ...r.options, runs: Math.floor(((r.options.runs ?? 1) + (odd ? 1 : 0)) / 2) },
    strategies: r.strategies.filter((s) => 'skipped' in s || ((s.rep ?? 1) % 2 === 1) === odd),
  });
  return [half(true), half(false)];
}

export const regressions = (c: Comparison): CompareRow[] => c.rows.filter((r) => r.verdict === 'regression');

/** Node's compare.R stars: *** p < 0.001, ** p < 0.01, * p < 0.05. */
export const stars = (p: number | null): string => (p === null ? '' : p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '');

/** Every strategy and metric of one run over its repetitions (what `--export gab` publishes). */
export function runSpreads(r: RunResult): Array<{ strategy: string; metric: MetricId; current: Spread }> {
  return [...reps(r)].flatMap(([strategy, ss]) =>
    METRIC_IDS.flatMap((metric) => {
      const xs = ss.map(METRICS[metric].value).filter((v): v is number => v !== null);
      return xs.length === 0 ? [] : [{ strategy, metric, current: spreadOf(xs) }];
    }),
  );
}

/** The largest |change| per metric over the strategies: an A/A comparison's noise band. */
export function noiseBand(c: Comparison): Record<MetricId, number> {
  const band = Object.fromEntries(METRIC_IDS.map((m) => [m, 0])) as Record<MetricId, number>;
  for (const r of c.rows) if (Number.isFinite(r.change)) band[r.metric] = Math.max(band[r.metric], Math.abs(r.change));
  return band;
}
