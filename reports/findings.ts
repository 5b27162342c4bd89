// The findings: what a run's numbers say for the choice of a strategy, in sentences, each derived
// from the numbers it names, with the caveats that change how to read them. Per strategy the
// median over its repetitions; shares and skew by the busiest worker.
import { type MeasuredStrategy, measured, type RunResult, strategyLabel } from '../format/schema.js';
import { median } from '../format/stats.js';

/** One strategy's medians over its repetitions: what the findings and the trade-off chart use. */
export interface StrategyPoint {
  strategy: string;
  reps: number;
  jain: number;
  /** The busiest worker's share (0..1). */
  top: number;
  workers: number;
  rps: number;
  rpsMin: number;
  rpsMax: number;
  /** ms; null when nothing was answered. */
  p99: number | null;
  p99Min: number | null;
  p99Max: number | null;
  /** Primary CPU per connection the workers took, µs. */
  primaryUs: number;
  /** On the Pareto front of req/s (higher) against p99 (lower). */
  pareto: boolean;
}

const connections = (s: MeasuredStrategy): number => s.perWorker.reduce((a, w) => a + w.connections, 0);

/** Per strategy (label), in the order they ran: medians over repetitions, and the Pareto front. */
export function strategyPoints(r: RunResult): StrategyPoint[] {
  const groups = new Map<string, MeasuredStrategy[]>();
  for (const s of measured(r.strategies)) groups.set(strategyLabel(s), [...(groups.get(strategyLabel(s)) ?? []), s]);
  const points = [...groups].map(([strategy, reps]): StrategyPoint => {
    const p99s = reps.map((s) => s.latencyMs?.p99).filter((x): x is number => x !== undefined);
    const rps = reps.map((s) => s.rps);
    return {
      strategy,
      reps: reps.length,
      jain: median(reps.map((s) => s.metrics.jain ?? 1)),
      top: median(reps.map((s) => Math.max(0, ...s.perWorker.map((w) => w.share)))),
      workers: reps[0].workers.length,
      rps: median(rps),
      rpsMin: Math.min(...rps),
      rpsMax: Math.max(...rps),
      p99: p99s.length === 0 ? null : median(p99s),
      p99Min: p99s.length === 0 ? null : Math.min(...p99s),
      p99Max: p99s.length === 0 ? null : Math.max(...p99s),
      primaryUs: median(reps.map((s) => (connections(s) === 0 ? 0 : (s.cpuMs.primary * 1000) / connections(s)))),
      pareto: false,
    };
  });
  // Not beaten on both: no other has at least its req/s and at most its p99, and better on one.
  for (const p of points)
    p.pareto =
      p.p99 !== null &&
      !points.some(
        (q) => q !== p && q.p99 !== null && q.rps >= p.rps && q.p99 <= (p.p99 as number) && (q.rps > p.rps || q.p99 < (p.p99 as number)),
      );
  return points;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const byMax = <T>(xs: readonly T[], f: (x: T) => number): T => xs.reduce((a, x) => (f(x) > f(a) ? x : a));
const byMin = <T>(xs: readonly T[], f: (x: T) => number): T => xs.reduce((a, x) => (f(x) < f(a) ? x : a));

/** The findings and the caveats of one run. */
export function findings(r: RunResult): { findings: string[]; caveats: string[] } {
  const points = strategyPoints(r);
  const out: string[] = [];
  const caveats: string[] = [];
  if (points.length === 0) return { findings: ['nothing was measured'], caveats };
  const reps = Math.min(...points.map((p) => p.reps));
  if (points.length > 1) {
    const fair = byMax(points, (p) => p.jain);
    const skewed = byMin(points, (p) => p.jain);
    out.push(
      `Fairest: ${fair.strategy} (Jain ${fair.jain.toFixed(4)}). Least even: ${skewed.strategy} (Jain ${skewed.jain.toFixed(4)}; its busiest worker served ${pct(skewed.top)} against an even ${pct(1 / skewed.workers)}).`,
    );
  } else
    out.push(
      `${points[0].strategy}: Jain ${points[0].jain.toFixed(4)}; the busiest worker served ${pct(points[0].top)} against an even ${pct(1 / points[0].workers)}.`,
    );
  const skews = points.filter((p) => p.top > 1.5 / p.workers && p.workers > 1);
  if (skews.length > 0)
    out.push(
      `Skewed (busiest worker over 1.5x an even share): ${skews.map((p) => `${p.strategy} ${(p.top * p.workers).toFixed(1)}x`).join(', ')}.`,
    );
  const open = r.options.load === 'open';
  if (points.length > 1) {
    const fast = byMax(points, (p) => p.rps);
    const slow = byMin(points, (p) => p.rps);
    out.push(
      open
        ? `req/s is set by the open loop's rate (${'rate' in r.options ? r.options.rate : '?'} a second): ${slow.strategy} ${Math.round(slow.rps)} to ${fast.strategy} ${Math.round(fast.rps)}; below the rate means it could not keep up.`
        : Math.round(fast.rps) === Math.round(slow.rps)
          ? `Throughput: every strategy ${Math.round(fast.rps)} req/s.`
          : `Highest throughput: ${fast.strategy} (${Math.round(fast.rps)} req/s), ${pct(fast.rps / slow.rps - 1)} above the lowest, ${slow.strategy} (${Math.round(slow.rps)}).`,
    );
    const withP99 = points.filter((p) => p.p99 !== null);
    if (withP99.length > 1) {
      const low = byMin(withP99, (p) => p.p99 as number);
      const high = byMax(withP99, (p) => p.p99 as number);
      out.push(
        `Lowest p99: ${low.strategy} (${ms(low.p99 as number)} ms); highest: ${high.strategy} (${ms(high.p99 as number)} ms, ${((high.p99 as number) / (low.p99 as number)).toFixed(1)}x).`,
      );
    }
    const through = points.filter((p) => p.primaryUs >= 20);
    const kernel = points.filter((p) => p.primaryUs < 20).map((p) => p.strategy);
    if (through.length > 0) {
      const cheap = byMin(through, (p) => p.primaryUs);
      const dear = byMax(through, (p) => p.primaryUs);
      out.push(
        `Primary CPU per connection: ${kernel.length > 0 ? `${kernel.join(', ')}: about 0 (the kernel places their connections); ` : ''}` +
          `of those through the primary, ${cheap.strategy} is cheapest (${cheap.primaryUs.toFixed(0)} µs)${dear !== cheap ? ` and ${dear.strategy} dearest (${dear.primaryUs.toFixed(0)} µs)` : ''}.`,
      );
    }
    const front = points.filter((p) => p.pareto).map((p) => p.strategy);
    if (front.length > 0) out.push(`Best trade-offs of req/s against p99 (no other strategy beats them on both): ${front.join(', ')}.`);
  }
  // What changes the reading.
  for (const s of measured(r.strategies)) {
    const label = strategyLabel(s);
    const rep = s.rep !== undefined && reps > 1 ? ` (repetition ${s.rep})` : '';
    for (const w of s.warnings ?? []) caveats.push(`${label}${rep}: ${w}`);
    if (s.totals.errors > 0)
      caveats.push(
        `${label}${rep}: ${s.totals.errors} of ${s.totals.sent} requests failed: its latency and req/s count only the answered ones`,
      );
    if (!s.totals.accounted) caveats.push(`${label}${rep}: not every request is accounted for (see the problems below)`);
    if (s.incomplete !== undefined) caveats.push(`${label}${rep}: incomplete: ${s.incomplete}`);
  }
  if (reps === 1 && points.length > 1)
    caveats.push(
      `one repetition each: on a shared machine differences of 10–20% in req/s and more in p99 can be noise; --runs 3 shows the spread, npm run compare judges it`,
    );
  if (r.options.workers > r.env.cores && r.options.target === undefined)
    caveats.push(
      `${r.options.workers} workers on ${r.env.cores} cores: the workers, the primary and the load generator time-share the cores, which stretches the tail`,
    );
  return { findings: out, caveats: [...new Set(caveats)] };
}
