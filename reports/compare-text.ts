// A comparison as text: terminal table, Markdown (job summaries, PR comments), a self-contained
// HTML page, and github-action-benchmark's custom JSON. Built from reports/compare.ts only.
import type { Spread } from '../format/stats.js';
import { type CompareRow, type Comparison, METRICS, type MetricId, regressions, stars, type Verdict } from './compare.js';
import { esc, pageShell } from './html.js';
import { mdText } from './markdown.js';
import type { Paint } from './terminal.js';
import { alignedTable } from './text.js';

/** `median [min–max]`, or the one value. */
export function spreadText(metric: MetricId, s: Spread): string {
  const t = METRICS[metric].text;
  return s.n <= 1 || s.lo === s.hi ? t(s.mid) : `${t(s.mid)} [${t(s.lo)}–${t(s.hi)}]`;
}

export function changeText(r: CompareRow): string {
  if (!Number.isFinite(r.change)) return 'n/a';
  const sign = r.change > 0 ? '+' : r.change < 0 ? '−' : '±';
  const abs = Math.abs(r.change);
  if (METRICS[r.metric].kind === 'speed') return `${sign}${(abs * 100).toFixed(1)}%`;
  return r.metric === 'roundSkew' || r.metric === 'topShare' ? `${sign}${(abs * 100).toFixed(1)} pts` : `${sign}${abs.toFixed(4)}`;
}

const pText = (p: number | null): string => (p === null ? 'n/a' : `${p < 0.001 ? '<0.001' : p.toFixed(3)} ${stars(p)}`.trim());

const HEAD = ['strategy', 'metric', 'baseline', 'current', 'change', 'p', 'verdict'];

const cells = (r: CompareRow): string[] => [
  r.strategy,
  METRICS[r.metric].label,
  spreadText(r.metric, r.baseline),
  spreadText(r.metric, r.current),
  changeText(r),
  pText(r.p),
  r.verdict,
];

const thresholdText = (c: Comparison): string =>
  (Object.keys(c.options.thresholds) as MetricId[])
    .map(
      (m) =>
        `${METRICS[m].label} ${METRICS[m].kind === 'speed' ? `${(c.options.thresholds[m] * 100).toFixed(0)}%` : c.options.thresholds[m]}`,
    )
    .join(', ');

/** The lines above the table: both sides, what differs, how verdicts were reached. */
export function headerLines(c: Comparison): string[] {
  const side = (what: string, s: Comparison['baseline']): string =>
    `${what} ${s.label}${s.label.includes(s.runId) ? '' : ` (${s.runId})`}: ${s.platform} ${s.arch}, Node ${s.node}, ${s.cpu}, ` +
    `${s.runs} run${s.runs === 1 ? '' : 's'} each`;
  const n = c.rows.length;
  return [
    side('baseline', c.baseline),
    side('current ', c.current),
    ...c.environment.map((d) => `differs (allowed): ${d}`),
    c.tested
      ? `noise: Welch t-test per metric on the repetitions (alpha ${c.options.alpha}); a change beyond its threshold with p >= alpha is "worse", not a regression`
      : 'noise: NOT tested (fewer than 3 runs a side: --runs 3 or more); verdicts from the thresholds alone',
    `thresholds: ${thresholdText(c)} (fairness: absolute change; speed: relative change)`,
    ...(c.tested && n > 0
      ? [
          `${n} comparisons: by chance alone expect ${(n * 0.05).toFixed(1)} at *, ${(n * 0.01).toFixed(2)} at **, ${(n * 0.001).toFixed(3)} at ***`,
        ]
      : []),
    ...(c.onlyInBaseline.length > 0 ? [`only in the baseline: ${c.onlyInBaseline.join(', ')}`] : []),
    ...(c.onlyInCurrent.length > 0 ? [`only in the current run: ${c.onlyInCurrent.join(', ')}`] : []),
  ];
}

export function summaryLine(c: Comparison): string {
  const bad = regressions(c);
  if (bad.length === 0)
    return `no regression (${c.rows.filter((r) => r.verdict === 'worse').length} worse within the noise, ${c.rows.filter((r) => r.verdict === 'better').length} better)`;
  return `${bad.length} regression${bad.length === 1 ? '' : 's'}: ${bad.map((r) => `${r.strategy} ${METRICS[r.metric].label} ${changeText(r)}`).join(', ')}`;
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
  range?: string;
}

/** The current side's medians, split by direction (one file per tool of the action). */
export function gabEntries(rows: ReadonlyArray<{ strategy: string; metric: MetricId; current: Spread }>): {
  bigger: GabEntry[];
  smaller: GabEntry[];
} {
  const out = { bigger: [] as GabEntry[], smaller: [] as GabEntry[] };
  for (const r of rows) {
    const m = METRICS[r.metric];
    const half = (r.current.hi - r.current.lo) / 2;
    const entry: GabEntry = {
      name: `${r.strategy} ${m.label}`,
      unit: m.unit,
      value: +r.current.mid.toPrecision(6),
      ...(r.current.n > 1 && { range: `± ${+half.toPrecision(3)}` }),
    };
    (m.better === 'higher' ? out.bigger : out.smaller).push(entry);
  }
  return out;
}
