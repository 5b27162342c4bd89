// The summary tables, built once from a result and rendered by terminal.ts, markdown.ts and
// html.ts: typed rows (the cells as text, plus what is wrong with the row), never found by column.
import { isSkipped, type MeasuredStrategy, type StrategyResult } from '../format/schema.js';
import { fixed, maxMinText, msText, pct, sharesText } from './text.js';

interface Column {
  head: string;
  cell(s: MeasuredStrategy): string;
}

export interface SummaryRow {
  strategy: string;
  /** Why the strategy did not run here; its cells are then blank. */
  skipped: string | null;
  /** One per column after the strategy name. */
  cells: string[];
  /** Some request was lost, failed or not reconciled. */
  notAccounted: boolean;
  /** Client errors. */
  errors: number;
}

export interface SummaryTable {
  /** Column heads, the strategy column first. */
  head: string[];
  rows: SummaryRow[];
  /** Rows with a problem are shown as such (the fairness table, where accounting is a column). */
  highlight: boolean;
}

/** A row with a problem: lost, failed or unreconciled requests. */
export const isBad = (r: SummaryRow): boolean => r.notAccounted || r.errors > 0;

/** Show this row as a problem (red in the terminal, `bad` in HTML)? */
export const marked = (t: SummaryTable, r: SummaryRow): boolean => t.highlight && isBad(r);

/** The row's cells with the strategy name first, or `skipped` and blanks. */
export const rowCells = (r: SummaryRow): string[] => [
  r.strategy,
  ...(r.skipped === null ? r.cells : r.cells.map((_, i) => (i === 0 ? 'skipped' : ''))),
];

const FAIRNESS: readonly Column[] = [
  { head: 'shares %', cell: (s) => sharesText(s.perWorker.map((w) => w.share)) },
  { head: 'Jain', cell: (s) => fixed(s.metrics.jain, 4) },
  { head: 'CV', cell: (s) => fixed(s.metrics.cv, 3) },
  { head: 'max/min', cell: (s) => maxMinText(s.metrics.maxMin) },
  { head: 'round skew', cell: (s) => `${pct(s.metrics.roundSkew)}%` },
  { head: 'req/s', cell: (s) => String(s.rps) },
  { head: 'p50 ms', cell: (s) => msText(s.latencyMs.p50) },
  { head: 'p99 ms', cell: (s) => msText(s.latencyMs.p99) },
  { head: 'errors', cell: (s) => String(s.totals.errors) },
  { head: 'accounted', cell: (s) => (s.totals.accounted ? 'yes' : 'NO') },
];

const COST: readonly Column[] = [
  { head: 'req/s', cell: (s) => String(s.rps) },
  { head: 'p90 ms', cell: (s) => msText(s.latencyMs.p90) },
  { head: 'p99.9 ms', cell: (s) => msText(s.latencyMs.p999) },
  { head: 'max ms', cell: (s) => msText(s.latencyMs.max) },
  { head: 'primary CPU ms', cell: (s) => fixed(s.cpuMs.primary, 0) },
  { head: '/10k conn', cell: (s) => (s.cpuMs.primaryPer10kConn == null ? '-' : fixed(s.cpuMs.primaryPer10kConn, 0)) },
  { head: 'workers CPU ms', cell: (s) => fixed(s.cpuMs.workers, 0) },
  { head: 'loadgen core %', cell: (s) => (s.cpuMs.loadGen === undefined || s.wallMs === 0 ? '-' : pct(s.cpuMs.loadGen / s.wallMs)) },
  { head: 'listen overflows', cell: (s) => (s.kernel ? String(s.kernel.listenOverflows) : 'n/a') },
];

function build(columns: readonly Column[], strategies: readonly StrategyResult[], highlight: boolean): SummaryTable {
  return {
    highlight,
    head: ['strategy', ...columns.map((c) => c.head)],
    rows: strategies.map((s) =>
      isSkipped(s)
        ? { strategy: s.name, skipped: s.skipped, cells: columns.map(() => ''), notAccounted: false, errors: 0 }
        : {
            strategy: s.name,
            skipped: null,
            cells: columns.map((c) => c.cell(s)),
            notAccounted: !s.totals.accounted,
            errors: s.totals.errors,
          },
    ),
  };
}

/** Fairness and accounting, one row per strategy (skipped ones say so). */
export const fairnessSummary = (strategies: readonly StrategyResult[]): SummaryTable => build(FAIRNESS, strategies, true);

/** Throughput, tail latency and what the work cost; strategies that ran only. */
export const costSummary = (strategies: readonly StrategyResult[]): SummaryTable =>
  build(
    COST,
    strategies.filter((s) => !isSkipped(s)),
    false,
  );

/** Client errors, reconciliation problems and warnings, one line each (`limit` problems per strategy). */
export function problemLines(strategies: readonly StrategyResult[], limit = 10): string[] {
  const lines: string[] = [];
  for (const s of strategies) {
    if (isSkipped(s)) continue;
    if (s.totals.errors > 0)
      lines.push(
        `${s.name}: ${s.totals.errors} client errors: ${Object.entries(s.errorsByCode)
          .map(([k, v]) => `${k} x${v}`)
          .join(', ')}`,
      );
    for (const p of s.problems.slice(0, limit)) lines.push(`${s.name}: ${p}`);
    for (const w of s.warnings ?? []) lines.push(`${s.name}: warning: ${w}`);
    if (s.problems.length > limit) lines.push(`${s.name}: ... and ${s.problems.length - limit} more (see result.json)`);
  }
  return lines;
}
