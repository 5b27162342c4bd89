// A comparison as text: terminal table, Markdown (job summaries, PR comments), a self-contained
// HTML page, and github-action-benchmark's custom JSON. Built from reports/compare.ts only.
import type { Spread } from '../format/stats.js';
import {
  type CompareRow,
  type Comparison,
  defOf,
  GATES,
  isRatio,
  METRICS,
  type MetricId,
  regressions,
  rowLabel,
  stars,
  type Verdict,
} from './compare.js';
import { esc, pageShell } from './html.js';
import { mdText } from './markdown.js';
import type { Paint } from './terminal.js';
import { alignedTable } from './text.js';

/** `median [min–max]`, or the one value. */
export function spreadText(r: Pick<CompareRow, 'metric'>, s: Spread): string {
  const t = r.metric in GATES ? (x: number): string => String(Math.round(x)) : defOf(r).text;
  return s.n <= 1 || s.lo === s.hi ? t(s.mid) : `${t(s.mid)} [${t(s.lo)}–${t(s.hi)}]`;
}

/** A change in the row's terms: speed and cost in %, shares in points, other fairness absolute, gates as counts. */
export function amountText(r: Pick<CompareRow, 'metric'>, x: number, signed = true): string {
  if (!Number.isFinite(x)) return 'n/a';
  const sign = !signed ? '' : x > 0 ? '+' : x < 0 ? '−' : '±';
  const abs = Math.abs(x);
  if (r.metric in GATES) return `${sign}${Math.round(abs)}`;
  const m = defOf(r);
  if (isRatio(m)) return `${sign}${(abs * 100).toFixed(1)}%`;
  return m.unit === 'share' ? `${sign}${(abs * 100).toFixed(1)} pts` : `${sign}${abs.toFixed(4)}`;
}

export const changeText = (r: CompareRow): string => amountText(r, r.change);

const changeCell = (r: CompareRow): string =>
  r.interval === null ? changeText(r) : `${changeText(r)} [${amountText(r, r.interval[0])}, ${amountText(r, r.interval[1])}]`;

const pText = (p: number | null): string => (p === null ? '' : `${p < 0.001 ? '<0.001' : p.toFixed(3)} ${stars(p)}`.trim());

const HEAD = ['strategy', 'metric', 'baseline', 'current', 'change [95%]', 'p (Holm)', 'detectable', 'K for 10%', 'verdict'];

const cells = (r: CompareRow): string[] => [
  r.strategy,
  rowLabel(r),
  spreadText(r, r.baseline),
  spreadText(r, r.current),
  changeCell(r),
  pText(r.p),
  r.detectable === null ? '' : amountText(r, r.detectable, false),
  r.gate ? '' : r.p === null ? '' : r.unitsFor10 === null ? '>1000' : String(r.unitsFor10),
  r.verdict,
];

const thresholdText = (c: Comparison): string =>
  (Object.keys(c.options.thresholds) as Array<keyof Comparison['options']['thresholds']>)
    .map((m) => `${m === 'share' ? 'shares' : METRICS[m].label} ${amountText({ metric: m }, c.options.thresholds[m], false)}`)
    .join(', ');

/** The lines above the table: both sides, what differs, how verdicts were reached. */
export function headerLines(c: Comparison): string[] {
  // An A/B run's sides are named by the side alone: `baseline (20261129-...)`.
  const name = (s: Comparison['baseline']): string =>
    c.paired ? `(${s.runId})` : `${s.label}${s.label.includes(s.runId) ? '' : ` (${s.runId})`}`;
  const side = (what: string, s: Comparison['baseline']): string =>
    `${what} ${name(s)}: ${s.platform} ${s.arch}, Node ${s.node}, ${s.cpu}, ` +
    `${s.runs} ${c.paired ? 'pair' : 'run'}${s.runs === 1 ? '' : 's'}`;
  const how = c.paired
    ? `paired: each repetition ran on both sides back to back (ABBA), so machine drift cancels; change = the 20% trimmed mean of the pairs' ratios (speed, cost; on logs) or differences (fairness), with its 95% interval`
    : `two runs: change = the ratio (speed, cost; on logs) or difference (fairness) of the two sides' 20% trimmed means, Yuen-Welch test on the repetitions${c.noise === null ? '' : ` plus the between-run noise of ${c.noise}`}`;
  return [
    side('baseline', c.baseline),
    side('current ', c.current),
    ...c.environment.map((d) => `differs (allowed): ${d}`),
    how,
    c.tested
      ? `test: Yuen's trimmed-mean t-test of that statistic, one-sided, Holm-adjusted over the ${c.family} tested rows (regressions one family, improvements another): the chance of any false regression here is at most ${c.options.alpha}`
      : 'test: NOT tested (fewer than 3 pairs, or 3 runs a side, somewhere): verdicts from the thresholds alone',
    `regression: moved beyond its threshold the bad way, and Holm p < ${c.options.alpha}; "worse": beyond it but inside the noise. Thresholds: ${thresholdText(c)}${c.noise === null ? '' : ' (raised to the noise band where it is wider)'}`,
    'gates (failures, timeouts, unaccounted, incomplete): any new one is a regression whatever the noise',
    'detectable: the smallest change this comparison would flag 4 times in 5; K for 10%: pairs (or runs a side) that would detect 10% (fairness: 0.10)',
    ...(c.onlyInBaseline.length > 0 ? [`only in the baseline: ${c.onlyInBaseline.join(', ')}`] : []),
    ...(c.onlyInCurrent.length > 0 ? [`only in the current run: ${c.onlyInCurrent.join(', ')}`] : []),
  ];
}

export function summaryLine(c: Comparison): string {
  const bad = regressions(c);
  if (bad.length === 0)
    return `no regression (${c.rows.filter((r) => r.verdict === 'worse').length} worse within the noise, ${c.rows.filter((r) => r.verdict === 'better').length} better)`;
  return `${bad.length} regression${bad.length === 1 ? '' : 's'}: ${bad.map((r) => `${r.strategy} ${rowLabel(r)} ${changeText(r)}`).join(', ')}`;
}

const VERDICT_PAINT: Record<Verdict, keyof Paint | null> = { regression: 'red', worse: 'bold', better: 'green', same: null };

/** A cell on one terminal line: control characters (a newline in a strategy's name from a file) escaped as JSON writes them. */
const oneLine = (s: string): string => [...s].map((ch) => (ch < ' ' ? JSON.stringify(ch).slice(1, -1) : ch)).join('');

export function compareTerminal(c: Comparison, p: Paint): string {
  // One line per row: the verdict colours below go by line number.
  const rows = c.rows.map((r) => cells(r).map(oneLine));
  const table = alignedTable(HEAD, rows).split('\n');
  const body = table.slice(1).map((line, i) => {
    const key = VERDICT_PAINT[c.rows[i].verdict];
    return key ? p[key](line) : line;
  });
  return [
    ...headerLines(c).map((l) => `  ${l}`),
    '',
    `  ${p.bold(table[0])}`,
    ...body.map((l) => `  ${l}`),
    '',
    `  ${summaryLine(c)}`,
  ].join('\n');
}

export function compareMarkdown(c: Comparison): string {
  const mark: Record<Verdict, string> = { regression: '**regression**', worse: 'worse (noise)', better: 'better', same: 'same' };
  return [
    `### cluster-sched-bench: ${mdText(c.current.label)} against ${mdText(c.baseline.label)}`,
    '',
    ...headerLines(c).map((l) => `- ${mdText(l)}`),
    '',
    `| ${HEAD.join(' | ')} |`,
    `|${HEAD.map((_, i) => (i < 2 ? ':---' : '---:')).join('|')}|`,
    ...c.rows.map((r) => `| ${cells(r).slice(0, -1).map(mdText).join(' | ')} | ${mark[r.verdict]} |`),
    '',
    `**${mdText(summaryLine(c))}**`,
    '',
  ].join('\n');
}

/** One page: the header, then the table with the verdicts coloured. No scripts. */
export function compareHtml(comparisons: readonly Comparison[]): string {
  const section = (c: Comparison): string =>
    [
      `<h2>${esc(c.current.label)} against ${esc(c.baseline.label)}</h2>`,
      `<ul>${headerLines(c)
        .map((l) => `<li>${esc(l)}</li>`)
        .join('')}</ul>`,
      `<div class="scroll"><table><tr>${HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`,
      ...c.rows.map(
        (r) =>
          `<tr class="${r.verdict}">${cells(r)
            .map((x) => `<td>${esc(x)}</td>`)
            .join('')}</tr>`,
      ),
      '</table></div>',
      `<p><strong>${esc(summaryLine(c))}</strong></p>`,
    ].join('\n');
  const style = 'tr.regression td { color: #b00020; font-weight: 600; } tr.better td { color: #1b7a2f; } tr.worse td { color: #8a6d00; }';
  return pageShell('cluster-sched-bench: compare', style, comparisons.map(section).join('\n'));
}

/** github-action-benchmark's customBiggerIsBetter / customSmallerIsBetter entries. */
export interface GabEntry {
  name: string;
  unit: string;
  value: number;
  /** min..max over the repetitions (the action shows it beside the value). */
  range?: string;
}

export interface ExportRow {
  strategy: string;
  metric: MetricId;
  current: Spread;
}

const num = (x: number): number => +x.toPrecision(6);

/** Each (strategy, metric) once: a second one under the same name is a mistake upstream, refused here. */
function once(rows: readonly ExportRow[]): ExportRow[] {
  const seen = new Set<string>();
  for (const r of rows) {
    const key = `${r.strategy}\u0000${r.metric}`;
    if (seen.has(key)) throw new Error(`export: ${r.strategy} ${METRICS[r.metric].label} twice (two runs with the same label?)`);
    seen.add(key);
  }
  return [...rows];
}

/** The current side's medians, split by direction (one file per tool of the action). */
export function gabEntries(rows: readonly ExportRow[]): { bigger: GabEntry[]; smaller: GabEntry[] } {
  const out = { bigger: [] as GabEntry[], smaller: [] as GabEntry[] };
  for (const r of once(rows)) {
    const m = METRICS[r.metric];
    const entry: GabEntry = {
      name: `${r.strategy} ${m.label}`,
      unit: m.unit,
      value: num(r.current.mid),
      ...(r.current.n > 1 && { range: `${num(r.current.lo)}..${num(r.current.hi)}` }),
    };
    (m.better === 'higher' ? out.bigger : out.smaller).push(entry);
  }
  return out;
}

/** Bencher Metric Format: { benchmark: { measure: { value, lower_value, upper_value } } } (https://bencher.dev/docs/reference/bencher-metric-format/). */
export type BencherMetrics = Record<string, Record<string, { value: number; lower_value?: number; upper_value?: number }>>;

export function bencherMetrics(rows: readonly ExportRow[]): BencherMetrics {
  const out: BencherMetrics = {};
  const slug = (m: MetricId): string => m.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  for (const r of once(rows)) {
    out[r.strategy] ??= {};
    out[r.strategy][slug(r.metric)] = {
      value: num(r.current.mid),
      ...(r.current.n > 1 && { lower_value: num(r.current.lo), upper_value: num(r.current.hi) }),
    };
  }
  return out;
}
