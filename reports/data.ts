// Result files -> small aggregated tables for the charts (per round x worker, per worker,
// per metric, per percentile). Never raw request rows. Pure.
// With repetitions (--runs K), per-worker shares, fairness and latency are the median over the
// repetitions with their min..max (`lo`, `hi`); per-round charts show the first repetition.
import { isTimed } from '../format/loads.js';
import { type MeasuredStrategy, measured as measuredOf, type RunResult, strategyLabel } from '../format/schema.js';
import { jain, median, spreadOf } from '../format/stats.js';

/** A run with the label it carries in charts (facet headers, legends). */
export interface LabeledRun {
  label: string;
  result: RunResult;
}

/** `step` is the round (burst, 1-based) or the second of the load (time-based loads, 0-based). */
export interface SeedRow {
  run: string;
  strategy: string;
  step: number;
  worker: string;
  pid: number;
  requests: number;
  ideal: number;
}
export interface ShareRow {
  run: string;
  strategy: string;
  worker: string;
  pid: number;
  requests: number;
  share: number;
  /** min..max of the share over repetitions (= share with one). */
  lo: number;
  hi: number;
  ideal: number;
}
export interface FairnessRow {
  run: string;
  strategy: string;
  metric: FairnessMetric;
  /** null: infinite (max/min when some worker got nothing). */
  value: number | null;
  /** Bar height: the value, or for infinity a bar above every finite one, labelled "∞". */
  plotted: number;
  label: string;
  infinite: boolean;
  /** min..max of `plotted` over repetitions (= plotted with one). */
  lo: number;
  hi: number;
  /** The value of a perfectly even spread. */
  ideal: number;
}
export interface LatencyRow {
  run: string;
  strategy: string;
  percentile: string;
  p: number;
  ms: number;
  /** min..max over repetitions (= ms with one). */
  lo: number;
  hi: number;
}
export interface WorkerLatencyRow {
  run: string;
  strategy: string;
  worker: string;
  stat: WorkerStat;
  ms: number;
}

export const FAIRNESS_METRICS = ['Jain', 'CV', 'max/min', 'round skew'] as const;
export type FairnessMetric = (typeof FAIRNESS_METRICS)[number];
export const WORKER_STATS = ['p50', 'p90', 'p99', 'p99.9', 'max'] as const;
export type WorkerStat = (typeof WORKER_STATS)[number];

/** `env.label`, else platform + Node + run id; repeated labels get the run id appended. */
export function labelRuns(results: readonly RunResult[]): LabeledRun[] {
  const base = results.map(
    (r) => r.env.label ?? `${r.env.platform} node ${(r.env.clusterNode ?? r.env.node).replace(/^v/, '')} ${r.runId}`,
  );
  const withId = base.map((b, i) => (base.indexOf(b) === base.lastIndexOf(b) ? b : `${b} (${results[i].runId})`));
  return results.map((result, i) => {
    const earlier = withId.slice(0, i).filter((l) => l === withId[i]).length; // the same run given twice
    return { label: earlier > 0 ? `${withId[i]} #${earlier + 1}` : withId[i], result };
  });
}

const measured = (r: RunResult): MeasuredStrategy[] => measuredOf(r.strategies);

/** The first repetition of each strategy (all of them when the run has one). */
const firstReps = (r: RunResult): MeasuredStrategy[] => measured(r).filter((s) => (s.rep ?? 1) === 1);

/** Each strategy's repetitions, in the order the strategies first ran. */
function repGroups(r: RunResult): MeasuredStrategy[][] {
  const groups = new Map<string, MeasuredStrategy[]>();
  for (const s of measured(r)) groups.set(strategyLabel(s), [...(groups.get(strategyLabel(s)) ?? []), s]);
  return [...groups.values()];
}

/** Some strategy of some run was repeated: charts then draw min..max. */
export const repeated = (runs: readonly LabeledRun[]): boolean => runs.some((r) => repGroups(r.result).some((g) => g.length > 1));

/** Strategy names in the order they first appear (the order the runs used). */
export function strategyOrder(runs: readonly LabeledRun[]): string[] {
  return [...new Set(runs.flatMap((r) => measured(r.result).map(strategyLabel)))];
}

export const workerName = (id: number): string => `worker ${id}`;
/** Over repetitions shares go by rank: `busiest`, `2nd`, ... */
export const rankName = (k: number): string => (k === 1 ? 'busiest' : `${k}${k === 2 ? 'nd' : k === 3 ? 'rd' : 'th'} busiest`);

/** Worker names ordered by id, so colours match across strategies and runs (then the ranks, when shares go by rank). */
export function workerOrder(runs: readonly LabeledRun[]): string[] {
  const ids = [...new Set(runs.flatMap((r) => measured(r.result).flatMap((s) => s.workers.map((w) => w.id))))].sort((a, b) => a - b);
  return [...ids.map(workerName), ...(repeated(runs) ? ids.map((_, k) => rankName(k + 1)) : [])];
}

/** The runs' labels, in the order given. */
export const runOrder = (runs: readonly LabeledRun[]): string[] => runs.map((r) => r.label);

function pidNames(s: MeasuredStrategy): Map<string, string> {
  return new Map(s.workers.map((w) => [String(w.pid), workerName(w.id)]));
}

/** Rows from the first repetition of every strategy of every run. */
function eachFirst<T>(runs: readonly LabeledRun[], f: (run: string, s: MeasuredStrategy) => T[]): T[] {
  return runs.flatMap(({ label, result }) => firstReps(result).flatMap((s) => f(label, s)));
}

/** Rows from every strategy of every run, with all its repetitions (`reps[0]` is the first). */
function eachGroup<T>(runs: readonly LabeledRun[], f: (run: string, reps: MeasuredStrategy[]) => T[]): T[] {
  return runs.flatMap(({ label, result }) => repGroups(result).flatMap((reps) => f(label, reps)));
}

/** Burst runs step by round; time-based loads (sustained, churn, open) by second, from `series`. */
export const timed = (r: RunResult): boolean => isTimed(r.options);

/** The seed chart's x: 'round', 'second', or both when burst and timed runs are compared. */
export function stepUnit(runs: readonly LabeledRun[]): 'round' | 'second' | 'round / second' {
  const kinds = new Set(runs.map((r) => (timed(r.result) ? 'second' : 'round')));
  return kinds.size > 1 ? 'round / second' : kinds.has('second') ? 'second' : 'round';
}

export function seedRows(runs: readonly LabeledRun[]): SeedRow[] {
  return runs.flatMap(({ label: run, result }) =>
    firstReps(result).flatMap((s) => {
      const names = pidNames(s);
      const n = s.workers.length;
      const name = (pid: string | number): string => names.get(String(pid)) ?? `pid ${pid}`;
      if (timed(result)) {
        const perSecond = new Map<number, number>();
        for (const p of s.series ?? []) perSecond.set(p.second, (perSecond.get(p.second) ?? 0) + p.count);
        return (s.series ?? []).map((p) => ({
          run,
          strategy: strategyLabel(s),
          step: p.second,
          worker: name(p.pid),
          pid: p.pid,
          requests: p.count,
          ideal: n > 0 ? (perSecond.get(p.second) ?? 0) / n : 0,
        }));
      }
      return s.rounds.flatMap((r) =>
        Object.entries(r.counts).map(([pid, requests]) => ({
          run,
          strategy: strategyLabel(s),
          step: r.index,
          worker: name(pid),
          pid: Number(pid),
          requests,
          ideal: n > 0 ? r.ok / n : 0,
        })),
      );
    }),
  );
}

export interface FairnessTimeRow {
  run: string;
  strategy: string;
  step: number;
  measure: "Jain's index" | 'top share x N';
  value: number;
}

/**
 * Fairness per round (a burst) or second (a timed load), from the seed rows: Jain's index, and
 * the top worker's share times the workers (1 = even, N = one worker took all). Steps with no
 * response are left out: no requests is not an even split.
 */
export function fairnessTimeRows(runs: readonly LabeledRun[]): FairnessTimeRow[] {
  const groups = new Map<string, { run: string; strategy: string; step: number; counts: number[] }>();
  for (const r of seedRows(runs)) {
    const key = `${r.run}\u0000${r.strategy}\u0000${r.step}`;
    const g = groups.get(key) ?? { run: r.run, strategy: r.strategy, step: r.step, counts: [] };
    g.counts.push(r.requests);
    groups.set(key, g);
  }
  return [...groups.values()].flatMap(({ counts, ...g }) => {
    const total = counts.reduce((a, x) => a + x, 0);
    if (total === 0) return [];
    return [
      { ...g, measure: "Jain's index" as const, value: jain(counts) },
      { ...g, measure: 'top share x N' as const, value: (Math.max(...counts) / total) * counts.length },
    ];
  });
}

export function shareRows(runs: readonly LabeledRun[]): ShareRow[] {
  return eachGroup(runs, (run, reps) =>
    reps[0].perWorker.map((w, k) => {
      // One repetition: by worker. Several: by rank (busiest first), since each is a fresh cluster
      // and a heavy worker that changes id between them must not average away (40/20/20/20 three
      // times is that, not 25 each).
      const byRank = reps.length > 1;
      const mine = byRank
        ? reps.flatMap((s) => [...s.perWorker].sort((a, b) => b.share - a.share).slice(k, k + 1))
        : reps.flatMap((s) => s.perWorker.filter((x) => x.id === w.id));
      const share = spreadOf(mine.map((x) => x.share));
      return {
        run,
        strategy: strategyLabel(reps[0]),
        worker: byRank ? rankName(k + 1) : workerName(w.id),
        pid: byRank ? 0 : w.pid,
        requests: median(mine.map((x) => x.client)),
        share: share.mid,
        lo: share.lo,
        hi: share.hi,
        ideal: reps[0].perWorker.length > 0 ? 1 / reps[0].perWorker.length : 0,
      };
    }),
  );
}

/** Bar height standing in for an infinite max/min: half again above the largest finite one. */
const INFINITE_BAR = 1.5;

export function fairnessRows(runs: readonly LabeledRun[]): FairnessRow[] {
  const all = runs.flatMap((r) => measured(r.result));
  const finiteMaxMin = all.map((s) => s.metrics.maxMin).filter((x): x is number => x !== null);
  const infinityBar = Math.max(1, ...finiteMaxMin) * INFINITE_BAR;
  const row = (
    run: string,
    reps: MeasuredStrategy[],
    metric: FairnessMetric,
    of: (m: MeasuredStrategy['metrics']) => number | null,
    digits: number,
    ideal: number,
  ): FairnessRow => {
    // The median over repetitions; an infinite max/min counts as above every finite one.
    const values = reps.map((s) => of(s.metrics) ?? Infinity);
    const mid = median(values);
    const value = Number.isFinite(mid) ? mid : null;
    const plotted = values.map((v) => (Number.isFinite(v) ? v : infinityBar));
    return {
      run,
      strategy: strategyLabel(reps[0]),
      metric,
      value,
      plotted: value ?? infinityBar,
      label: value === null ? '∞' : value.toFixed(digits),
      infinite: value === null,
      lo: Math.min(...plotted),
      hi: Math.max(...plotted),
      ideal,
    };
  };
  return eachGroup(runs, (run, all) => {
    const reps = all.filter((s) => !s.metrics.noData); // no response: no fairness to draw
    if (reps.length === 0) return [];
    const n = reps[0].workers.length;
    return [
      row(run, reps, 'Jain', (m) => m.jain, 4, 1),
      row(run, reps, 'CV', (m) => m.cv, 3, 0),
      row(run, reps, 'max/min', (m) => m.maxMin, 2, 1),
      row(run, reps, 'round skew', (m) => m.roundSkew, 3, n > 0 ? 1 / n : 0),
    ];
  });
}

export const percentileName = (p: number): string => `p${p}`;

export function latencyRows(runs: readonly LabeledRun[]): LatencyRow[] {
  return eachGroup(runs, (run, reps) =>
    reps[0].latencyCurve.map(({ p }) => {
      const ms = spreadOf(reps.flatMap((s) => s.latencyCurve.filter((x) => x.p === p).map((x) => x.ms)));
      return { run, strategy: strategyLabel(reps[0]), percentile: percentileName(p), p, ms: ms.mid, lo: ms.lo, hi: ms.hi };
    }),
  );
}

/** Percentile names in numeric order (p50, p75, ..., p99.9). */
export function percentileOrder(rows: readonly LatencyRow[]): string[] {
  return [...new Set([...rows].sort((a, b) => a.p - b.p).map((r) => r.percentile))];
}

export function workerLatencyRows(runs: readonly LabeledRun[]): WorkerLatencyRow[] {
  return eachFirst(runs, (run, s) =>
    s.perWorker.flatMap((w) => {
      const l = w.latencyMs;
      if (l === null) return []; // served nothing: no latency to draw (not 0 ms)
      const values: Record<WorkerStat, number> = { p50: l.p50, p90: l.p90, p99: l.p99, 'p99.9': l.p999, max: l.max };
      return WORKER_STATS.map((stat) => ({ run, strategy: strategyLabel(s), worker: workerName(w.id), stat, ms: values[stat] }));
    }),
  );
}
