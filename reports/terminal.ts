// Terminal output (stderr, for humans): environment header, one line per strategy, a comparison table.
import type { RunOptions, EnvInfo, StrategyResult } from '../runner/results.js';
import { fixed, loadText, maxMinText, msText, pct, sharesText } from './format.js';

export interface Paint { bold(s: string): string; red(s: string): string; green(s: string): string; dim(s: string): string }

const code = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const colors: Paint = { bold: code(1, 22), red: code(31, 39), green: code(32, 39), dim: code(2, 22) };
export const plain: Paint = { bold: (s) => s, red: (s) => s, green: (s) => s, dim: (s) => s };

/** Colour only on a TTY and when NO_COLOR is unset (https://no-color.org). */
export const paintFor = (stream: NodeJS.WriteStream, env = process.env): Paint =>
  stream.isTTY && !env.NO_COLOR ? colors : plain;

export function envHeader(env: EnvInfo, o: RunOptions, runId: string): string {
  const load = loadText(o);
  return [
    `cluster-sched-bench  run ${runId}`,
    `  ${env.platform} ${env.release} ${env.arch} | ${env.cpuModel} | ${env.cores} cores | Node ${env.node}`,
    `  load ${load} | workers ${o.workers} | server ${o.server} | work ${o.work ?? 'hello'} | seed ${o.seed} | backlog ${o.backlog}`,
    `  strategies ${o.policies.join(', ')}`,
  ].join('\n');
}

export function strategyLine(r: StrategyResult, p: Paint): string {
  if (r.skipped) return `  ${r.name.padEnd(18)} skipped: ${r.skipped}`;
  const acc = r.totals.accounted ? p.green('accounted') : p.red('NOT ACCOUNTED');
  const errs = r.totals.errors > 0 ? p.red(`${r.totals.errors} errors`) : '0 errors';
  return (
    `  ${p.bold(r.name.padEnd(18))} shares ${sharesText(r.perWorker.map((w) => w.share))} %  Jain ${fixed(r.metrics.jain, 4)}` +
    `  ${r.rps} req/s  p99 ${msText(r.latencyMs.p99)} ms  ${errs}  ${acc}`
  );
}

export const HEAD = ['strategy', 'shares %', 'Jain', 'CV', 'max/min', 'round skew', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'accounted'];

export function tableRows(results: readonly StrategyResult[]): string[][] {
  return results.map((r) =>
    r.skipped
      ? [r.name, 'skipped', '', '', '', '', '', '', '', '', '']
      : [
          r.name,
          sharesText(r.perWorker.map((w) => w.share)),
          fixed(r.metrics.jain, 4),
          fixed(r.metrics.cv, 3),
          maxMinText(r.metrics.maxMin),
          pct(r.metrics.roundSkew) + '%',
          String(r.rps),
          msText(r.latencyMs.p50),
          msText(r.latencyMs.p99),
          String(r.totals.errors),
          r.totals.accounted ? 'yes' : 'NO',
        ],
  );
}

function aligned(head: string[], rows: string[][], p: Paint, bad: (r: string[]) => boolean = () => false): string {
  const all = [head, ...rows];
  const widths = head.map((_, c) => Math.max(...all.map((r) => r[c].length)));
  const line = (r: string[]): string => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const body = rows.map((r) => (bad(r) ? p.red(line(r)) : line(r)));
  return [p.bold(line(head)), ...body].map((l) => `  ${l}`).join('\n');
}

/** Fairness and accounting, one row per strategy. */
export function comparisonTable(results: readonly StrategyResult[], p: Paint): string {
  return aligned(HEAD, tableRows(results), p, (r) => r[10] === 'NO' || (r[9] !== '0' && r[9] !== ''));
}

export const COST_HEAD = ['strategy', 'req/s', 'p90 ms', 'p99.9 ms', 'max ms', 'primary CPU ms', '/10k conn', 'workers CPU ms', 'loadgen core %', 'listen overflows'];

export function costRows(results: readonly StrategyResult[]): string[][] {
  return results
    .filter((r) => !r.skipped)
    .map((r) => [
      r.name,
      String(r.rps),
      msText(r.latencyMs.p90),
      msText(r.latencyMs.p999),
      msText(r.latencyMs.max),
      fixed(r.cpuMs.primary, 0),
      r.cpuMs.primaryPer10kConn == null ? '-' : fixed(r.cpuMs.primaryPer10kConn, 0),
      fixed(r.cpuMs.workers, 0),
      r.cpuMs.loadGen === undefined || r.wallMs === 0 ? '-' : pct(r.cpuMs.loadGen / r.wallMs),
      r.kernel ? String(r.kernel.listenOverflows) : 'n/a',
    ]);
}

/** Throughput, tail latency and what the work cost (CPU of primary, workers, load generator). */
export function costTable(results: readonly StrategyResult[], p: Paint): string {
  return aligned(COST_HEAD, costRows(results), p);
}

export function problemsText(results: readonly StrategyResult[], p: Paint, limit = 10): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.totals.errors > 0)
      lines.push(`${r.name}: ${r.totals.errors} client errors: ${Object.entries(r.errorsByCode).map(([k, v]) => `${k} x${v}`).join(', ')}`);
    for (const prob of r.problems.slice(0, limit)) lines.push(`${r.name}: ${prob}`);
    for (const w of r.warnings ?? []) lines.push(`${r.name}: warning: ${w}`);
    if (r.problems.length > limit) lines.push(`${r.name}: ... and ${r.problems.length - limit} more (see result.json)`);
  }
  return lines.map((l) => p.red(`  ! ${l}`)).join('\n');
}
