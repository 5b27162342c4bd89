// The summary tables, built once from a result and rendered by terminal.ts, markdown.ts and
// html.ts: typed rows (the cells as text, plus what is wrong with the row), never found by column.
import { isSkipped, type MeasuredStrategy, measured as measuredOf, type StrategyResult, strategyLabel } from '../format/schema.js';
import { median, spreadOf } from '../format/stats.js';
import { fixed, MANY_WORKERS, msText, pct, sharesText } from './text.js';

/**
 * A column: a number per repetition (shown as `median [min–max]` when a strategy ran more than
 * once, `missing` when it has none), or a cell made from all the repetitions at once.
 */
type Column =
  | { head: string; value(s: MeasuredStrategy): number | null; text(x: number): string; missing?: string }
  | { head: string; cell(reps: readonly MeasuredStrategy[]): string };

export interface SummaryRow {
  strategy: string;
  /** Repetitions the cells summarize (1 unless --runs). */
  reps: number;
  /** Why the strategy did not run here; its cells are then blank. */
  skipped: string | null;
  /** One per column after the strategy name. */
  cells: string[];
  /** Some request was lost, failed or not reconciled (in any repetition). */
  notAccounted: boolean;
  /** Client errors, over all repetitions. */
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

/** The row's cells with the strategy name first (`rr ×3` when repeated), or `skipped` and blanks. */
export const rowCells = (r: SummaryRow): string[] => [
  r.reps > 1 ? `${r.strategy} ×${r.reps}` : r.strategy,
  ...(r.skipped === null ? r.cells : r.cells.map((_, i) => (i === 0 ? 'skipped' : ''))),
];

const P99: Column = { head: 'p99 ms', value: (s) => s.latencyMs?.p99 ?? null, text: msText, missing: 'n/a' };

/** Requests that ran out of time are not in the percentiles: said beside p99, ` (+12 timed out)`. */
export function timedOutText(reps: readonly MeasuredStrategy[]): string {
  const n = reps.reduce((a, s) => a + (s.timedOut ?? 0), 0);
  return n > 0 ? ` (+${n} timed out)` : '';
}

const infinite = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '∞');

/**
 * Per-worker shares: one repetition in cluster worker id order; over several, by rank (busiest
 * first), each rank's median. Each repetition is a fresh cluster: a heavy worker that changes id
 * between them must not average away (40/20/20/20 three times is that, not 25 each).
 */
function medianShares(reps: readonly MeasuredStrategy[]): number[] {
  if (reps.length === 1) return reps[0].perWorker.map((w) => w.share);
  const ranked = reps.map((s) => s.perWorker.map((w) => w.share).sort((a, b) => b - a));
  return ranked[0].map((_, k) => median(ranked.map((xs) => xs[k] ?? 0)));
}

const FAIRNESS: readonly Column[] = [
  { head: 'shares %', cell: (reps) => sharesText(medianShares(reps)) },
  { head: 'Jain', value: (s) => s.metrics.jain, text: (x) => fixed(x, 4), missing: 'n/a' },
  { head: 'CV', value: (s) => s.metrics.cv, text: (x) => fixed(x, 3), missing: 'n/a' },
  { head: 'max/min', value: (s) => (s.metrics.noData ? null : (s.metrics.maxMin ?? Infinity)), text: infinite, missing: 'n/a' },
  { head: 'round skew', value: (s) => s.metrics.roundSkew, text: (x) => `${pct(x)}%`, missing: 'n/a' },
  { head: 'req/s', value: (s) => s.rps, text: (x) => String(Math.round(x)) },
  { head: 'p50 ms', value: (s) => s.latencyMs?.p50 ?? null, text: msText, missing: 'n/a' },
  { head: 'p99 ms', cell: (reps) => `${cell(P99, reps)}${timedOutText(reps)}` },
  { head: 'errors', cell: (reps) => String(reps.reduce((a, s) => a + s.totals.errors, 0)) },
  { head: 'accounted', cell: (reps) => (reps.every((s) => s.totals.accounted) ? 'yes' : 'NO') },
];

const COST: readonly Column[] = [
  { head: 'req/s', value: (s) => s.rps, text: (x) => String(Math.round(x)) },
  { head: 'p90 ms', value: (s) => s.latencyMs?.p90 ?? null, text: msText, missing: 'n/a' },
  { head: 'p99.9 ms', value: (s) => s.latencyMs?.p999 ?? null, text: msText, missing: 'n/a' },
  { head: 'max ms', value: (s) => s.latencyMs?.max ?? null, text: msText, missing: 'n/a' },
  // Failures included at their time to failure: a strategy whose slow requests time out cannot look faster here.
  { head: 'p99 all ms', value: (s) => s.latencyWithFailuresMs?.p99 ?? null, text: msText, missing: '-' },
  { head: 'primary CPU ms', value: (s) => s.cpuMs.primary, text: (x) => fixed(x, 0) },
  { head: '/10k conn', value: (s) => s.cpuMs.primaryPer10kConn ?? null, text: (x) => fixed(x, 0), missing: '-' },
  { head: 'workers CPU ms', value: (s) => s.cpuMs.workers, text: (x) => fixed(x, 0) },
  { head: 'loadgen core %', cell: loadGenCell },
  { head: 'listen overflows', value: (s) => s.kernel?.listenOverflows ?? null, text: (x) => String(Math.round(x)), missing: 'n/a' },
];

/**
 * The load generator's CPU as a share of a core, as the runner stored it (the warning's number): the
 * runner's, or with --clients each client's (`46.3/51.1`), the median over repetitions. Results
 * written before the share was stored show '-'.
 */
function loadGenCell(reps: readonly MeasuredStrategy[]): string {
  const clients = reps[0].cpuMs.clientShares;
  if (clients && clients.length > 0) return clients.map((_, i) => pct(median(reps.map((s) => s.cpuMs.clientShares?.[i] ?? 0)))).join('/');
  const xs = reps.map((s) => s.cpuMs.loadGenShare).filter((x): x is number => x !== undefined);
  if (xs.length === 0) return '-';
  const { mid, lo, hi } = spreadOf(xs);
  return xs.length === 1 ? pct(mid) : `${pct(mid)} [${pct(lo)}–${pct(hi)}]`;
}

function cell(c: Column, reps: readonly MeasuredStrategy[]): string {
  if ('cell' in c) return c.cell(reps);
  const xs = reps.map((s) => c.value(s)).filter((x): x is number => x !== null);
  if (xs.length === 0) return c.missing ?? '-';
  if (xs.length === 1) return c.text(xs[0]);
  const { mid, lo, hi } = spreadOf(xs);
  return `${c.text(mid)} [${c.text(lo)}–${c.text(hi)}]`;
}

/** Each strategy with its repetitions (or the skipped entry), in the order they first ran. */
function byStrategy(strategies: readonly StrategyResult[]): Array<{ name: string; skipped: string | null; reps: MeasuredStrategy[] }> {
  const groups = new Map<string, { name: string; skipped: string | null; reps: MeasuredStrategy[] }>();
  for (const s of strategies) {
    const g = groups.get(strategyLabel(s)) ?? { name: strategyLabel(s), skipped: null, reps: [] };
    if (isSkipped(s)) g.skipped = s.skipped;
    else g.reps.push(s);
    groups.set(strategyLabel(s), g);
  }
  return [...groups.values()];
}

function build(columns: readonly Column[], strategies: readonly StrategyResult[], highlight: boolean): SummaryTable {
  return {
    highlight,
    head: ['strategy', ...columns.map((c) => c.head)],
    rows: byStrategy(strategies).map(({ name, skipped, reps }) =>
      reps.length === 0
        ? { strategy: name, reps: 0, skipped: skipped ?? '', cells: columns.map(() => ''), notAccounted: false, errors: 0 }
        : {
            strategy: name,
            reps: reps.length,
            skipped: null,
            cells: columns.map((c) => cell(c, reps)),
            notAccounted: reps.some((s) => !s.totals.accounted),
            errors: reps.reduce((a, s) => a + s.totals.errors, 0),
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

/** --fault reload: per strategy, the rolling restart's hand-overs, what failed, and p99 inside and outside it. */
const RELOAD: Column[] = [
  { head: 'hand-overs', value: (s) => s.reload?.handovers.length ?? null, text: (x) => String(x) },
  {
    head: 'slowest ms',
    value: (s) => (s.reload?.handovers.length ? Math.max(...s.reload.handovers.map((h) => h.ms)) : null),
    text: (x) => String(Math.round(x)),
    missing: '—',
  },
  {
    head: 'restart ms',
    value: (s) => (s.reload?.toMs != null ? s.reload.toMs - s.reload.fromMs : null),
    text: (x) => String(Math.round(x)),
    missing: 'unfinished',
  },
  { head: 'failed', value: (s) => s.totals.errors, text: (x) => String(Math.round(x)) },
  { head: 'reset', value: (s) => s.errorsByCode.ECONNRESET ?? 0, text: (x) => String(Math.round(x)) },
  { head: 'refused', value: (s) => s.errorsByCode.ECONNREFUSED ?? 0, text: (x) => String(Math.round(x)) },
  { head: 'lost', value: (s) => s.errorsByCode.LOST ?? 0, text: (x) => String(Math.round(x)) },
  { head: 'p99 ms in restart', value: (s) => s.reload?.inside?.p99 ?? null, text: msText, missing: 'n/a' },
  { head: 'p99 ms outside', value: (s) => s.reload?.outside?.p99 ?? null, text: msText, missing: 'n/a' },
];

/** The rolling restart's table (--fault reload), or null when no strategy was reloaded. */
export function reloadSummary(strategies: readonly StrategyResult[]): SummaryTable | null {
  const reloaded = strategies.filter((s) => !isSkipped(s) && s.reload !== undefined);
  return reloaded.length === 0 ? null : build(RELOAD, reloaded, true);
}

/** Strategies that could not be reloaded, and why. */
export function reloadRefusals(strategies: readonly StrategyResult[]): string[] {
  return [
    ...new Set(
      measuredOf(strategies).flatMap((s) => (s.reload?.refused ? [`${strategyLabel(s)}: not reloaded: ${s.reload.refused}`] : [])),
    ),
  ];
}

/**
 * With many workers the shares column shows min / median / max; these lines name the workers at
 * both ends (by cluster worker id; over repetitions by rank), so the skew has names: `none: busiest 1 15.8%, 3 15.2%, ...`.
 */
export function crowdLines(strategies: readonly StrategyResult[], n = 3): string[] {
  return byStrategy(strategies)
    .filter((g) => g.reps.length > 0 && g.reps[0].perWorker.length > MANY_WORKERS)
    .map(({ name, reps }) => {
      const shares = medianShares(reps);
      // Over repetitions the ids mean nothing: ranks instead (#1 the busiest).
      const ws = reps[0].perWorker
        .map((w, i) => ({ id: reps.length === 1 ? String(w.id) : `#${i + 1}`, share: shares[i] }))
        .sort((a, b) => b.share - a.share);
      const text = (xs: typeof ws): string => xs.map((w) => `${w.id} ${pct(w.share)}%`).join(', ');
      return `${name}: busiest workers ${text(ws.slice(0, n))}; least busy ${text(ws.slice(-n).reverse())} (even: ${pct(1 / ws.length)}%)`;
    });
}

/** Client errors, reconciliation problems and warnings, one line each (`limit` problems per strategy). */
export function problemLines(strategies: readonly StrategyResult[], limit = 10): string[] {
  const lines: string[] = [];
  const repeated = new Set(
    byStrategy(strategies)
      .filter((g) => g.reps.length > 1)
      .map((g) => g.name),
  );
  for (const s of strategies) {
    if (isSkipped(s)) continue;
    const name = repeated.has(strategyLabel(s)) ? `${strategyLabel(s)} #${s.rep ?? 1}` : strategyLabel(s);
    const codes = Object.entries(s.errorsByCode).map(([k, v]) => `${k} x${v}`);
    if (s.totals.errors > 0) lines.push(`${name}: ${s.totals.errors} client errors: ${codes.join(', ')}`);
    for (const p of s.problems.slice(0, limit)) lines.push(`${name}: ${p}`);
    for (const w of s.warnings ?? []) lines.push(`${name}: warning: ${w}`);
    if (s.problems.length > limit) lines.push(`${name}: ... and ${s.problems.length - limit} more (see result.json)`);
  }
  return lines;
}

/**
 * What happened to the workers (faults, deaths, replacements), how each difference and failure is
 * explained, and strategies cut short: one line each, to print beside the tables.
 */
export function eventLines(strategies: readonly StrategyResult[], limit = 10): string[] {
  const lines: string[] = [];
  for (const s of strategies) {
    if (isSkipped(s)) continue;
    const name = (s.rep ?? 1) > 1 ? `${strategyLabel(s)} #${s.rep}` : strategyLabel(s);
    if (s.incomplete !== undefined) lines.push(`${name}: incomplete: ${s.incomplete}`);
    for (const e of s.workerEvents ?? []) lines.push(`${name}: round ${e.round}: worker ${e.id} (pid ${e.pid}) ${e.event}: ${e.detail}`);
    const explained = s.explained ?? [];
    for (const x of explained.slice(0, limit)) lines.push(`${name}: ${x}`);
    if (explained.length > limit) lines.push(`${name}: ... and ${explained.length - limit} more (see result.json)`);
  }
  return lines;
}

/**
 * --client-addrs: where each client address's connections went, one line per strategy:
 * `sticky: by client address: 127.0.0.1 -> 2, 127.0.0.2 -> 3 (60%), ...` (worker ids; the share
 * of the busiest worker when an address was split).
 */
export function placementLines(strategies: readonly StrategyResult[]): string[] {
  const lines: string[] = [];
  for (const s of strategies) {
    if (isSkipped(s) || !s.placement || s.placement.length === 0) continue;
    const idOf = new Map(s.workers.map((w) => [String(w.pid), w.id]));
    const parts = s.placement.map((p) => {
      const entries = Object.entries(p.counts).sort((a, b) => b[1] - a[1]);
      const total = entries.reduce((a, [, n]) => a + n, 0);
      if (entries.length === 0 || total === 0) return `${p.address} -> none`;
      const [pid, n] = entries[0];
      return `${p.address} -> ${idOf.get(pid) ?? pid}${n === total ? '' : ` (${pct(n / total)}%)`}`;
    });
    lines.push(
      `${(s.rep ?? 1) > 1 ? `${strategyLabel(s)} #${s.rep}` : strategyLabel(s)}: by client address (worker id, busiest): ${parts.join(', ')}`,
    );
  }
  return lines;
}
