// `compare --aa`: a noise profile from A/A runs (runs of the same code, same settings, one
// machine). Per strategy and metric, on the tested scale: the variance of a pair's difference
// (neighbouring repetitions, or an A/B run's pairs), of one repetition within a run, and of a
// run's mean between runs beyond what its repetitions explain.
import { measured, type RunResult } from '../format/schema.js';
import { mean, median, variance } from '../format/stats.js';
import { isAB, isRatio, METRIC_IDS, METRICS, SHARE } from './compare.js';
import { rankShare } from './compare-metrics.js';
import type { NoiseProfile, NoiseStat } from './noise.js';
import { alignedTable } from './text.js';
import { detectable, type Estimate, trimmed, unitsFor } from './verdict-stats.js';

/** Per run, the values of one strategy and metric in rep order, with the pairs of the run (an A/B run's, or neighbours). */
interface Series {
  runs: number[][];
  pairs: number[];
}

function seriesOf(runs: readonly RunResult[]): Map<string, Map<string, Series>> {
  const out = new Map<string, Map<string, Series>>();
  const at = (name: string, metric: string): Series => {
    const m = out.get(name) ?? new Map<string, Series>();
    out.set(name, m);
    const s = m.get(metric) ?? { runs: [], pairs: [] };
    m.set(metric, s);
    return s;
  };
  // Pairs come from A/B runs when there are any (side by side); else from neighbouring repetitions.
  const abPairs = runs.some(isAB);
  for (const r of runs) {
    const all = measured(r.strategies);
    const names = [...new Set(all.map((s) => s.name))];
    for (const name of names) {
      const mine = all.filter((s) => s.name === name).sort((a, b) => (a.rep ?? 1) - (b.rep ?? 1));
      const w = mine[0]?.perWorker.length ?? 0;
      const metrics: Array<[string, boolean, (s: (typeof mine)[number]) => number | null]> = [
        ...METRIC_IDS.map(
          (m) => [m, isRatio(METRICS[m]), METRICS[m].value] as [string, boolean, (s: (typeof mine)[number]) => number | null],
        ),
        ...Array.from(
          { length: w >= 3 ? w - 1 : 0 },
          (_, i) =>
            [`share#${i + 2}`, false, (s: (typeof mine)[number]) => rankShare(s, i + 2)] as [
              string,
              boolean,
              (s: (typeof mine)[number]) => number | null,
            ],
        ),
      ];
      for (const [metric, log, of] of metrics) {
        const f = (s: (typeof mine)[number]): number | null => {
          const v = of(s);
          return v === null ? null : log ? Math.log(v) : v;
        };
        const series = at(name, metric);
        if (isAB(r)) {
          // Both sides are the same code in an A/A A/B run: each side is a run's sample, the pairs are the run's pairs.
          for (const variant of ['baseline', 'current'] as const) {
            const xs = mine.filter((s) => s.variant === variant).map(f);
            if (xs.every((v) => v !== null)) series.runs.push(xs as number[]);
          }
          const byRep = new Map(mine.filter((s) => s.variant === 'baseline').map((s) => [s.rep ?? 1, f(s)]));
          for (const s of mine.filter((x) => x.variant === 'current')) {
            const [b, c] = [byRep.get(s.rep ?? 1), f(s)];
            if (b != null && c !== null) series.pairs.push(c - b);
          }
        } else {
          const xs = mine.map(f).filter((v): v is number => v !== null);
          series.runs.push(xs);
          if (!abPairs) for (let i = 0; i + 1 < xs.length; i += 2) series.pairs.push(xs[i + 1] - xs[i]);
        }
      }
    }
  }
  return out;
}

/** Robust, as the test is: one unit's variance as the trimmed mean's variance times n (verdict-stats.ts). */
const unitVar = (xs: readonly number[]): number => trimmed(xs).varOfMean * xs.length;

function statOf(s: Series): NoiseStat | null {
  const runs = s.runs.filter((xs) => xs.length >= 2);
  if (runs.length === 0 || s.pairs.length < 2) return null;
  const repVar = mean(runs.map(unitVar));
  const k = mean(runs.map((xs) => xs.length));
  const betweenVar = runs.length >= 2 ? Math.max(0, variance(runs.map((xs) => trimmed(xs).mean)) - repVar / k) : 0;
  return { pairVar: unitVar(s.pairs), repVar, betweenVar };
}

/** The profile of `runs` (A/A: the same code and settings). */
export function profileFrom(runs: readonly RunResult[], description: string): NoiseProfile {
  const strategies: NoiseProfile['strategies'] = {};
  const byMetric = new Map<string, NoiseStat[]>();
  for (const [name, metrics] of seriesOf(runs)) {
    for (const [metric, series] of metrics) {
      const stat = statOf(series);
      if (stat === null) continue;
      // The ranked shares go under one key, `share`, at the widest rank: a share is a share.
      const key = metric.startsWith('share#') ? SHARE.label : metric;
      const prev = strategies[name]?.[key];
      const kept = prev === undefined || prev.pairVar < stat.pairVar ? stat : prev;
      strategies[name] = { ...strategies[name], [key]: kept };
    }
    for (const [key, stat] of Object.entries(strategies[name] ?? {})) byMetric.set(key, [...(byMetric.get(key) ?? []), stat]);
  }
  const pooled = (xs: NoiseStat[]): NoiseStat => ({
    pairVar: median(xs.map((x) => x.pairVar)),
    repVar: median(xs.map((x) => x.repVar)),
    betweenVar: median(xs.map((x) => x.betweenVar)),
  });
  const separate = new Set(runs.map((r) => r.runId)).size;
  const k = Math.round(median(runs.map((r) => (isAB(r) ? (r.options.runs ?? 1) : Math.floor((r.options.runs ?? 1) / 2)))));
  return {
    kind: 'cluster-sched-bench noise profile',
    version: 1,
    description,
    created: new Date().toISOString(),
    k,
    runs: runs.map((r) => r.runId),
    separateRuns: separate,
    metrics: Object.fromEntries([...byMetric].map(([m, xs]) => [m, pooled(xs)])),
    strategies,
  };
}

/** What a comparison at K (pairs, or repetitions a side) would detect 4 times in 5, in the metric's change units, with Holm over `family` rows. */
function reach(
  metric: string,
  s: NoiseStat,
  k: number,
  alpha: number,
  family: number,
): { paired: number; twoRuns: number; ratio: boolean } {
  const def = metric === SHARE.label ? SHARE : METRICS[metric as keyof typeof METRICS];
  const ratio = def !== undefined && isRatio(def);
  const back = (x: number): number => (ratio ? Math.expm1(x) : x);
  return {
    paired: back(detectable(Math.sqrt(s.pairVar / k), k - 1, alpha, family)),
    twoRuns: back(detectable(Math.sqrt((2 * s.repVar) / k + 2 * s.betweenVar), 2 * k - 2, alpha, family)),
    ratio,
  };
}

/** The rows a comparison of the profiled runs has: strategies x metrics. */
const familyOf = (p: NoiseProfile): number =>
  Math.max(
    1,
    Object.values(p.strategies).reduce((a, s) => a + Object.keys(s).length, 0),
  );

/** The profile with its detectable effects at its own K (alpha 0.05), as `compare --aa` writes it. */
export function withDetectable(p: NoiseProfile, alpha = 0.05): NoiseProfile {
  const k = Math.max(p.k, 3);
  const family = familyOf(p);
  const detectableAt = Object.fromEntries(
    Object.entries(p.metrics).map(([m, s]) => {
      const r = reach(m, s, k, alpha, family);
      return [m, { k, family, paired: +r.paired.toPrecision(4), twoRuns: +r.twoRuns.toPrecision(4) }];
    }),
  );
  return { ...p, detectable: detectableAt };
}

/** The profile as a table: per metric (pooled over strategies), its spreads and what a comparison at the profile's K could detect. */
export function noiseTable(p: NoiseProfile, alpha: number): string {
  const m = familyOf(p);
  const k = Math.max(p.k, 3);
  const rows = Object.entries(p.metrics).map(([metric, s]) => {
    const def = metric === SHARE.label ? SHARE : METRICS[metric as keyof typeof METRICS];
    const r = reach(metric, s, k, alpha, m);
    const text = (x: number): string => (r.ratio ? `${(Math.expm1(x) * 100).toFixed(1)}%` : x.toFixed(4));
    const changeText = (x: number): string => (r.ratio ? `${(x * 100).toFixed(1)}%` : x.toFixed(4));
    const paired: Estimate = { est: 0, se: Math.sqrt(s.pairVar / k), df: k - 1, n: k, unitVar: s.pairVar, fixedVar: 0, paired: true };
    const two: Estimate = {
      est: 0,
      se: Math.sqrt((2 * s.repVar) / k + 2 * s.betweenVar),
      df: 2 * k - 2,
      n: k,
      unitVar: s.repVar,
      fixedVar: 2 * s.betweenVar,
      paired: false,
    };
    const delta = r.ratio ? Math.log1p(0.1) : 0.1;
    return [
      def?.label ?? metric,
      text(Math.sqrt(s.pairVar)),
      text(Math.sqrt(s.repVar)),
      text(Math.sqrt(s.betweenVar)),
      changeText(r.paired),
      changeText(r.twoRuns),
      String(unitsFor(delta, paired, alpha, m) ?? '>1000'),
      String(unitsFor(delta, two, alpha, m) ?? 'never'),
    ];
  });
  return alignedTable(
    [
      'metric',
      'pair sd',
      'rep sd',
      'between-run sd',
      `detectable, ${k} pairs`,
      `detectable, 2 runs of ${k}`,
      'pairs for 10%',
      'runs for 10%',
    ],
    rows,
  )
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n')
    .concat(`\n  (pooled over strategies: the median; detectable: flagged 4 times in 5, Holm over ${m} rows at alpha ${alpha})`);
}
