// Baseline against current: per strategy and metric, the change, its test and a verdict. Pure;
// reads result documents only. The method is written up in docs/verdicts.md.
//
//   an A/B run (bench --baseline-*): both sides in one run, rep i of each side side by side
//     -> paired: per pair, current against baseline (log ratio, or difference for fairness)
//   two runs (comparable: the settings that must match do)
//     -> two samples (Yuen-Welch), with the between-run noise of a noise profile added: a run on another
//        VM shifts all of its repetitions at once, which its own repetitions cannot show
//
// Per row the change IS the tested statistic: the 20% trimmed mean of the log ratios (speed, cost)
// or of the differences (fairness), with its 95% interval (reports/verdict-stats.ts). The p-value is one-sided in the direction of the
// change and Holm-adjusted over every tested row of the comparison (regressions are one family,
// improvements another), so the chance of any false regression in a comparison is at most alpha.
// A regression must also move more than its threshold (the smallest change worth a verdict).
// Failures, timeouts, unaccounted and incomplete repetitions are gates, not statistics: any new
// one is a regression regardless of noise.
import { comparableSettings } from '../format/loads.js';
import { type MeasuredStrategy, measured, type RunResult, type VariantName } from '../format/schema.js';
import { type Spread, spreadOf } from '../format/stats.js';
import {
  GATES,
  type GateId,
  isRatio,
  METRIC_IDS,
  METRICS,
  type MetricDef,
  type MetricId,
  rankShare,
  SHARE,
  type Thresholds,
} from './compare-metrics.js';
import { type NoiseProfile, noiseOf } from './noise.js';
import { detectable, type Estimate, holm, interval, oneSided, pairedEstimate, unitsFor, welchEstimate } from './verdict-stats.js';

export type Verdict = 'better' | 'same' | 'worse' | 'regression';

// The metric table lives in compare-metrics.ts; these are re-exported for the comparison's readers.
export {
  DEFAULT_ALPHA,
  DEFAULT_THRESHOLDS,
  defOf,
  GATES,
  type GateId,
  isRatio,
  METRIC_IDS,
  METRICS,
  type MetricId,
  rowLabel,
  SHARE,
  THRESHOLD_IDS,
  type Thresholds,
} from './compare-metrics.js';

export interface CompareOptions {
  thresholds: Thresholds;
  /** Family-wise error rate of regressions per comparison (Holm). */
  alpha: number;
  /** Between-run noise for comparisons of two runs, and thresholds from it (compare --noise). */
  noise?: NoiseProfile;
  /** Thresholds given on the command line or in a config: a noise profile does not raise these. */
  fixed?: ReadonlyArray<keyof Thresholds>;
}

/** Settings that must match for a comparison to mean anything, besides the load mode's own (format/loads.ts). Absent and default are the same. */
const SETTINGS: Record<string, unknown> = {
  workers: undefined,
  load: undefined,
  work: undefined,
  server: undefined,
  clients: 1,
  clientAddrs: 1,
  fault: '(none)',
  respawn: false,
  roundTimeoutMs: undefined,
  backlog: undefined,
};

/** Each setting that differs, as `workers: 2 vs 4`; empty when the runs are comparable. */
export function settingDifferences(a: RunResult, b: RunResult): string[] {
  const get = (r: RunResult, k: string): unknown => (r.options as Record<string, unknown>)[k] ?? SETTINGS[k] ?? '(none)';
  const keys = [...Object.keys(SETTINGS), ...(a.options.load === b.options.load ? comparableSettings(a.options) : [])];
  const out = keys.filter((k) => get(a, k) !== get(b, k)).map((k) => `${k}: ${get(a, k)} vs ${get(b, k)}`);
  // A strategy of the user's that is another file (by its bytes) is another strategy.
  const hashes = (r: RunResult): Map<string, string> =>
    new Map(measured(r.strategies).flatMap((s) => (s.source ? [[s.name, s.source.sha256] as const] : [])));
  const [ha, hb] = [hashes(a), hashes(b)];
  for (const [name, h] of ha)
    if (hb.has(name) && hb.get(name) !== h) out.push(`strategy file of ${name}: sha256 ${h.slice(0, 12)} vs ${hb.get(name)?.slice(0, 12)}`);
  const app = (r: RunResult): string => r.options.app?.sha256 ?? '(none)';
  if (app(a) !== app(b)) out.push(`app: sha256 ${app(a).slice(0, 12)} vs ${app(b).slice(0, 12)}`);
  return out;
}

export interface Side {
  label: string;
  runId: string;
  platform: string;
  arch: string;
  node: string;
  cpu: string;
  runs: number;
  /** An A/B run's side. */
  variant?: VariantName;
}

export interface CompareRow {
  strategy: string;
  metric: MetricId | GateId | 'share';
  /** The ranked shares: which rank (2 = second busiest). */
  rank?: number;
  baseline: Spread;
  current: Spread;
  /** The tested statistic: fairness: trimmed-mean difference; speed, cost: exp(trimmed mean of log ratios) - 1; gates: current - baseline total. */
  change: number;
  /** Its 95% interval (same units); null untested. */
  interval: [number, number] | null;
  /** One-sided p in the direction of the change, Holm-adjusted over the comparison; null untested. */
  p: number | null;
  /** The smallest change (same units) this comparison would flag with 80% power; null untested. */
  detectable: number | null;
  /** Pairs (or repetitions a side) that would detect 10% (fairness: 0.10 absolute); null: more than 1000, or never (between-run noise alone). */
  unitsFor10: number | null;
  verdict: Verdict;
  /** A gate (failures, timeouts, unaccounted, incomplete): judged by counts, not by a test. */
  gate?: true;
}

export interface Comparison {
  baseline: Side;
  current: Side;
  /** Allowed differences shown in the header (platform, arch, Node, CPU). */
  environment: string[];
  /** Pairs that ran side by side (an A/B run), or two samples. */
  paired: boolean;
  /** Every compared strategy had 3 or more pairs (or repetitions a side): verdicts are noise-aware. */
  tested: boolean;
  /** Tested rows: the family Holm corrects over. */
  family: number;
  /** Where the between-run noise and thresholds came from (two runs), in words. */
  noise: string | null;
  options: CompareOptions;
  rows: CompareRow[];
  onlyInBaseline: string[];
  onlyInCurrent: string[];
}

const sideOf = (r: RunResult, label: string, variant?: VariantName): Side => ({
  label,
  runId: r.runId,
  platform: r.env.platform,
  arch: r.env.arch,
  node: variant === 'baseline' ? (r.env.baseline?.clusterNode ?? r.env.clusterNode ?? r.env.node) : (r.env.clusterNode ?? r.env.node),
  cpu: `${r.env.cpuModel}, ${r.env.cores} cores`,
  runs: r.options.runs ?? 1,
  ...(variant && { variant }),
});

/** Per strategy name, its repetitions (of one side of an A/B run, or of a plain run), in rep order. */
function reps(r: RunResult, variant?: VariantName): Map<string, MeasuredStrategy[]> {
  const m = new Map<string, MeasuredStrategy[]>();
  for (const s of measured(r.strategies)) if (s.variant === variant) m.set(s.name, [...(m.get(s.name) ?? []), s]);
  for (const xs of m.values()) xs.sort((a, b) => (a.rep ?? 1) - (b.rep ?? 1));
  return m;
}

/** The run holds both sides of an A/B run. */
export const isAB = (r: RunResult): boolean =>
  r.options.baseline !== undefined && measured(r.strategies).some((s) => s.variant !== undefined);

/** The change in the metric's own terms, from the tested scale. */
const fromScale = (m: MetricDef, x: number): number => (isRatio(m) ? Math.expm1(x) : x);
const toScale = (m: MetricDef, x: number): number => (isRatio(m) ? Math.log1p(x) : x);

/** One metric's values, aligned (paired: only reps with a value on both sides). */
interface Sample {
  strategy: string;
  metric: MetricId | 'share';
  rank?: number;
  def: MetricDef;
  x: number[];
  y: number[];
}

function samplesOf(name: string, as: MeasuredStrategy[], bs: MeasuredStrategy[], paired: boolean): Sample[] {
  const out: Sample[] = [];
  const add = (metric: MetricId | 'share', def: MetricDef, of: (s: MeasuredStrategy) => number | null, rank?: number): void => {
    let x: number[];
    let y: number[];
    if (paired) {
      const byRep = new Map(bs.map((s) => [s.rep ?? 1, s]));
      const both = as.flatMap((a) => {
        const b = byRep.get(a.rep ?? 1);
        const [va, vb] = [of(a), b ? of(b) : null];
        return va !== null && vb !== null ? [[va, vb] as const] : [];
      });
      x = both.map((p) => p[0]);
      y = both.map((p) => p[1]);
    } else {
      x = as.map(of).filter((v): v is number => v !== null);
      y = bs.map(of).filter((v): v is number => v !== null);
    }
    if (x.length > 0 && y.length > 0) out.push({ strategy: name, metric, def, x, y, ...(rank !== undefined && { rank }) });
  };
  for (const metric of METRIC_IDS) add(metric, METRICS[metric], METRICS[metric].value);
  const w = Math.min(as[0]?.perWorker.length ?? 0, bs[0]?.perWorker.length ?? 0);
  if (w >= 3)
    for (let rank = 2; rank <= w; rank++) {
      if (w % 2 === 1 && rank === (w + 1) / 2) continue; // the middle rank of an odd count: neither way is better
      add('share', { ...SHARE, better: rank <= w / 2 ? 'lower' : 'higher' }, (s) => rankShare(s, rank), rank);
    }
  return out;
}

function estimateOf(s: Sample, paired: boolean, betweenVar: number, betweenDf: number): Estimate | null {
  const f = (v: number): number => (isRatio(s.def) ? Math.log(v) : v);
  if (paired) return s.x.length >= 3 ? pairedEstimate(s.x.map((v, i) => f(s.y[i]) - f(v))) : null;
  return s.x.length >= 3 && s.y.length >= 3 ? welchEstimate(s.x.map(f), s.y.map(f), betweenVar, betweenDf) : null;
}

/** Gate rows: new failures (or timeouts, unaccounted or incomplete repetitions) are regressions whatever the noise. */
function gateRows(name: string, as: MeasuredStrategy[], bs: MeasuredStrategy[]): CompareRow[] {
  return (Object.keys(GATES) as GateId[]).map((g) => {
    const x = as.map(GATES[g].value);
    const y = bs.map(GATES[g].value);
    const [sx, sy] = [x.reduce((a, v) => a + v, 0), y.reduce((a, v) => a + v, 0)];
    // New where there were none; where there were some, more in every current rep than in any baseline rep.
    const verdict: Verdict =
      (sx === 0 && sy > 0) || (sx > 0 && Math.min(...y) > Math.max(...x)) ? 'regression' : sx > 0 && sy === 0 ? 'better' : 'same';
    return {
      strategy: name,
      metric: g,
      baseline: spreadOf(x),
      current: spreadOf(y),
      change: sy - sx,
      interval: null,
      p: null,
      detectable: null,
      unitsFor10: null,
      verdict,
      gate: true,
    };
  });
}

/** The thresholds of a comparison: given ones, else the larger of the default and the noise profile's band. */
function thresholdOf(s: Sample, o: CompareOptions, paired: boolean, k: number): number {
  const key = s.metric;
  const given = o.thresholds[key];
  if (o.noise === undefined || o.fixed?.includes(key)) return given;
  const band = noiseOf(o.noise, s.strategy, s.metric).band(paired, k);
  return Math.max(given, band === null ? 0 : fromScale(s.def, band));
}

function rowsOf(
  groups: Array<{ name: string; as: MeasuredStrategy[]; bs: MeasuredStrategy[] }>,
  paired: boolean,
  o: CompareOptions,
): { rows: CompareRow[]; family: number; tested: boolean } {
  const samples = groups.flatMap((g) => samplesOf(g.name, g.as, g.bs, paired));
  const estimates = samples.map((s) => {
    const noise = paired || o.noise === undefined ? undefined : noiseOf(o.noise, s.strategy, s.metric);
    return estimateOf(s, paired, noise?.betweenVar ?? 0, noise?.betweenDf ?? Infinity);
  });
  const idx = estimates.flatMap((e, i) => (e === null ? [] : [i]));
  const m = idx.length;
  // Two families, one per direction (the bad one, the good one), each Holm-adjusted over every tested row.
  const p1 = idx.map((i) => {
    const { up, down } = oneSided(estimates[i] as Estimate);
    return samples[i].def.better === 'higher' ? { worse: down, better: up } : { worse: up, better: down };
  });
  const worseP = holm(p1.map((x) => x.worse));
  const betterP = holm(p1.map((x) => x.better));
  let t = 0;
  const rows: CompareRow[] = samples.map((s, i) => {
    const e = estimates[i];
    const baseline = spreadOf(s.x);
    const current = spreadOf(s.y);
    const k = Math.min(s.x.length, s.y.length);
    const threshold = thresholdOf(s, o, paired, k);
    const sign = s.def.better === 'higher' ? -1 : 1; // > 0 after multiplying: moved the bad way
    const head = { strategy: s.strategy, metric: s.metric, ...(s.rank !== undefined && { rank: s.rank }), baseline, current };
    if (e === null) {
      // Too few to test: the threshold alone decides (the report says so).
      const change = isRatio(s.def) ? (baseline.mid === 0 ? 0 : current.mid / baseline.mid - 1) : current.mid - baseline.mid;
      const verdict: Verdict = sign * change > threshold ? 'regression' : -sign * change > threshold ? 'better' : 'same';
      return { ...head, change, interval: null, p: null, detectable: null, unitsFor10: null, verdict };
    }
    const j = t++;
    const change = fromScale(s.def, e.est);
    const [lo, hi] = interval(e);
    const worse = sign * change > threshold;
    const improved = -sign * change > threshold;
    const pWorse = worseP[j];
    const pBetter = betterP[j];
    const verdict: Verdict = worse ? (pWorse < o.alpha ? 'regression' : 'worse') : improved && pBetter < o.alpha ? 'better' : 'same';
    // What this comparison could have flagged: the test's reach, and never below the threshold.
    const reach = fromScale(s.def, detectable(e.se, e.df, o.alpha, m));
    return {
      ...head,
      change,
      interval: [fromScale(s.def, lo), fromScale(s.def, hi)],
      p: sign * change > 0 ? pWorse : pBetter,
      detectable: Math.max(reach, threshold),
      unitsFor10: unitsFor(toScale(s.def, 0.1), e, o.alpha, m),
      verdict,
    };
  });
  const gates = groups.flatMap((g) => gateRows(g.name, g.as, g.bs));
  const ordered = groups.flatMap((g) => [...rows.filter((r) => r.strategy === g.name), ...gates.filter((r) => r.strategy === g.name)]);
  return { rows: ordered, family: m, tested: groups.length > 0 && m > 0 && estimates.every((x) => x !== null) };
}

function environment(b: Side, c: Side): string[] {
  const env = (f: (s: Side) => string, what: string): string[] => (f(b) === f(c) ? [] : [`${what}: ${f(b)} vs ${f(c)}`]);
  return [...env((s) => `${s.platform} ${s.arch}`, 'platform'), ...env((s) => s.node, 'Node'), ...env((s) => s.cpu, 'CPU')];
}

/** Compare two runs with the same load settings (check `settingDifferences` first): two samples per row. */
export function compareRuns(
  base: { label: string; result: RunResult },
  cur: { label: string; result: RunResult },
  o: CompareOptions,
): Comparison {
  // An A/B run on either side contributes its current side.
  const sideVariant = (r: RunResult): VariantName | undefined => (isAB(r) ? 'current' : undefined);
  const a = reps(base.result, sideVariant(base.result));
  const b = reps(cur.result, sideVariant(cur.result));
  const names = [...a.keys()].filter((n) => b.has(n));
  const { rows, family, tested } = rowsOf(
    names.map((name) => ({ name, as: a.get(name) ?? [], bs: b.get(name) ?? [] })),
    false,
    o,
  );
  const baseline = sideOf(base.result, base.label, sideVariant(base.result));
  const current = sideOf(cur.result, cur.label, sideVariant(cur.result));
  return {
    baseline,
    current,
    environment: environment(baseline, current),
    paired: false,
    tested,
    family,
    noise: o.noise === undefined ? null : o.noise.description,
    options: o,
    rows,
    onlyInBaseline: [...a.keys()].filter((n) => !b.has(n)),
    onlyInCurrent: [...b.keys()].filter((n) => !a.has(n)),
  };
}

/** An A/B run: its baseline side against its current side, pair by pair. */
export function compareAB(run: { label: string; result: RunResult }, o: CompareOptions): Comparison {
  const a = reps(run.result, 'baseline');
  const b = reps(run.result, 'current');
  const names = [...a.keys()].filter((n) => b.has(n));
  const { rows, family, tested } = rowsOf(
    names.map((name) => ({ name, as: a.get(name) ?? [], bs: b.get(name) ?? [] })),
    true,
    { ...o, noise: undefined },
  );
  const baseline = sideOf(run.result, 'baseline side', 'baseline');
  const current = sideOf(run.result, 'current side', 'current');
  return {
    baseline,
    current,
    environment: environment(baseline, current),
    paired: true,
    tested,
    family,
    noise: null,
    options: { ...o, noise: undefined },
    rows,
    onlyInBaseline: [...a.keys()].filter((n) => !b.has(n)),
    onlyInCurrent: [...b.keys()].filter((n) => !a.has(n)),
  };
}

/**
 * The run against itself, as an A/B run of identical sides: repetitions 1, 3, 5, ... against
 * 2, 4, 6, ... paired as (1, 2), (3, 4), ... (neighbours in time, like an A/B run's pairs).
 */
export function splitPairs(r: RunResult): RunResult {
  const strategies = r.strategies.map((s) =>
    'skipped' in s
      ? s
      : { ...s, rep: Math.ceil((s.rep ?? 1) / 2), variant: ((s.rep ?? 1) % 2 === 1 ? 'baseline' : 'current') as VariantName },
  );
  return { ...r, options: { ...r.options, runs: Math.floor((r.options.runs ?? 1) / 2), baseline: {} }, strategies };
}

export const regressions = (c: Comparison): CompareRow[] => c.rows.filter((r) => r.verdict === 'regression');

/** Node's compare.R stars: *** p < 0.001, ** p < 0.01, * p < 0.05 (here on Holm-adjusted p). */
export const stars = (p: number | null): string => (p === null ? '' : p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '');

/** Every strategy and metric of one run over its repetitions (what the exports publish); an A/B run: its current side. */
export function runSpreads(r: RunResult): Array<{ strategy: string; metric: MetricId; current: Spread }> {
  return [...reps(r, isAB(r) ? 'current' : undefined)].flatMap(([strategy, ss]) =>
    METRIC_IDS.flatMap((metric) => {
      const xs = ss.map(METRICS[metric].value).filter((v): v is number => v !== null);
      return xs.length === 0 ? [] : [{ strategy, metric, current: spreadOf(xs) }];
    }),
  );
}
