// Terminal output (stderr, for humans): environment header, one line per strategy, the summary tables.
import path from 'node:path';
import { loadText } from '../format/loads.js';
import { type EnvInfo, isSkipped, type RecordedOptions, type StrategyResult, strategyLabel } from '../format/schema.js';
import {
  costSummary,
  crowdLines,
  eventLines,
  fairnessSummary,
  marked,
  placementLines,
  problemLines,
  reloadRefusals,
  reloadSummary,
  rowCells,
  type SummaryTable,
  timedOutText,
} from './summary.js';
import { fixed, msText, nodeText, sharesText } from './text.js';

export interface Paint {
  bold(s: string): string;
  red(s: string): string;
  green(s: string): string;
  dim(s: string): string;
}

const code = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const colors: Paint = { bold: code(1, 22), red: code(31, 39), green: code(32, 39), dim: code(2, 22) };
export const plain: Paint = { bold: (s) => s, red: (s) => s, green: (s) => s, dim: (s) => s };

/** Colour only on a TTY and when NO_COLOR is unset (https://no-color.org). */
export const paintFor = (stream: { isTTY?: boolean }, env = process.env): Paint => (stream.isTTY && !env.NO_COLOR ? colors : plain);

/** What the baseline side of an A/B run differs in: `baseline Node v22.1.0 vs current v20.19.0`. */
export function abText(env: EnvInfo, o: RecordedOptions): string {
  const b = o.baseline ?? {};
  const parts = [
    ...(b.node !== undefined ? [`Node ${env.baseline?.clusterNode ?? b.node} vs ${env.clusterNode ?? env.node}`] : []),
    ...(b.strategyFile !== undefined ? [`strategy file ${b.strategyFile} vs ${o.strategyFile}`] : []),
    ...(b.checkout !== undefined
      ? [
          `checkout ${b.checkout} (${env.baseline?.gitCommit?.slice(0, 8) ?? 'no git'}) vs this one (${env.gitCommit?.slice(0, 8) ?? 'no git'})`,
        ]
      : []),
  ];
  return `baseline ${parts.join(', ')}`;
}

export function envHeader(env: EnvInfo, o: RecordedOptions, runId: string): string {
  if (o.target !== undefined)
    return [
      `cluster-sched-bench  run ${runId}`,
      `  ${env.platform} ${env.release} ${env.arch} | ${env.cpuModel} | ${env.cores} cores | runner Node ${env.node}`,
      `  load ${loadText(o)} | seed ${o.seed}${(o.runs ?? 1) > 1 ? ` | ${o.runs} runs` : ''}`,
      `  target ${o.target}${o.targetStats ? ` | reconciled against ${o.targetStats}` : ' | not reconciled (no --target-stats)'}`,
    ].join('\n');
  return [
    `cluster-sched-bench  run ${runId}`,
    `  ${env.platform} ${env.release} ${env.arch} | ${env.cpuModel} | ${env.cores} cores | ${nodeText(env)}`,
    `  load ${loadText(o)} | workers ${o.workers} | ${o.app ? `app ${path.basename(o.app.file)} (sha256 ${o.app.sha256.slice(0, 12)})` : `server ${o.server} | work ${o.work}`} | seed ${o.seed} | backlog ${o.backlog}` +
      ((o.runs ?? 1) > 1 ? ` | ${o.runs} runs each, interleaved` : ''),
    `  strategies ${[...o.policies, ...(o.strategyFile === undefined ? [] : [`yours from ${o.strategyFile}`])].join(', ')}`,
    ...((o.warmup ?? 0) > 0 ? [`  warm-up ${o.warmup} repetition${o.warmup === 1 ? '' : 's'} of each, not counted`] : []),
    ...(o.baseline === undefined
      ? []
      : [`  A/B: ${abText(env, o)}; each repetition on both sides, ABBA order (rr@baseline, rr@current, ...)`]),
  ].join('\n');
}

/** One strategy as it finishes; with --runs K, each repetition is named `rr #2`. */
export function strategyLine(r: StrategyResult, p: Paint, runs = 1): string {
  if (isSkipped(r)) return `  ${r.name.padEnd(18)} skipped: ${r.skipped}`;
  const name = runs > 1 ? `${strategyLabel(r)} #${r.rep ?? 1}` : strategyLabel(r);
  const acc = `${r.totals.accounted ? p.green('accounted') : p.red('NOT ACCOUNTED')}${r.incomplete !== undefined ? p.red(', INCOMPLETE') : ''}`;
  const errs = r.totals.errors > 0 ? p.red(`${r.totals.errors} errors`) : '0 errors';
  return (
    `  ${p.bold(name.padEnd(runs > 1 ? 22 : 18))} shares ${sharesText(r.perWorker.map((w) => w.share))} %  ` +
    `Jain ${r.metrics.jain === null ? 'n/a' : fixed(r.metrics.jain, 4)}  ${r.rps} req/s  ` +
    `p99 ${r.latencyMs === null ? 'n/a' : `${msText(r.latencyMs.p99)} ms`}${timedOutText([r])}  ${errs}  ${acc}`
  );
}

/** A summary table, aligned; rows with a problem in red. */
export function terminalTable(t: SummaryTable, p: Paint): string {
  const cells = t.rows.map(rowCells);
  const widths = t.head.map((_, c) => Math.max(...[t.head, ...cells].map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const body = t.rows.map((r, i) => (marked(t, r) ? p.red(line(cells[i])) : line(cells[i])));
  return [p.bold(line(t.head)), ...body].map((l) => `  ${l}`).join('\n');
}

/** Fairness and accounting, one row per strategy. */
export const comparisonTable = (results: readonly StrategyResult[], p: Paint): string => terminalTable(fairnessSummary(results), p);

/** --fault reload: the rolling restart per strategy, and the strategies that could not be reloaded; empty without one. */
export function reloadText(results: readonly StrategyResult[], p: Paint): string {
  const t = reloadSummary(results);
  if (t === null) return '';
  return [
    `  ${p.bold('rolling restart (--fault reload): every worker replaced, one at a time')}`,
    terminalTable(t, p),
    ...reloadRefusals(results).map((l) => `  ! ${l}`),
  ].join('\n');
}

/** Throughput, tail latency and what the work cost (CPU of primary, workers, load generator). */
export const costTable = (results: readonly StrategyResult[], p: Paint): string => terminalTable(costSummary(results), p);

/** The busiest and least busy workers by name, when there are too many to list (dim). */
export const crowdText = (results: readonly StrategyResult[], p: Paint): string =>
  crowdLines(results)
    .map((l) => p.dim(`  ${l}`))
    .join('\n');

/** Worker events, how they explain the counts, and strategies cut short; then placement by client address. */
export const eventsText = (results: readonly StrategyResult[], limit = 10): string =>
  [...eventLines(results, limit), ...placementLines(results)].map((l) => `  * ${l}`).join('\n');

export const problemsText = (results: readonly StrategyResult[], p: Paint, limit = 10): string =>
  problemLines(results, limit)
    .map((l) => p.red(`  ! ${l}`))
    .join('\n');

/** The live view's lines (bench on a terminal): requests per worker now, a bar each, scaled to the busiest. */
export function liveLines(
  label: string,
  step: string,
  workers: ReadonlyArray<{ id: number; pid: number; count: number }>,
  max = 16,
): string[] {
  const total = workers.reduce((a, w) => a + w.count, 0);
  const top = Math.max(1, ...workers.map((w) => w.count));
  const width = 30;
  // Past `max` workers: the busiest, then how many more.
  const shown = workers.length <= max ? workers : [...workers].sort((a, b) => b.count - a.count).slice(0, max - 1);
  const lines = shown.map((w) => {
    const n = Math.round((w.count / top) * width);
    const share = total === 0 ? 0 : (w.count / total) * 100;
    return `    worker ${String(w.id).padStart(2)}  ${'█'.repeat(n)}${'·'.repeat(width - n)}  ${String(w.count).padStart(6)}  ${share.toFixed(1).padStart(5)}%`;
  });
  if (shown.length < workers.length) lines.push(`    … ${workers.length - shown.length} more workers`);
  return [`  ${label}  ${step}  (even share ${(100 / Math.max(1, workers.length)).toFixed(1)}%)`, ...lines];
}
