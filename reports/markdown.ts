// report.md: the comparison table and links to the charts, for a GitHub job summary or a PR comment.
import { loadText } from '../format/loads.js';
import { isSkipped, type RunResult } from '../format/schema.js';
import { findings } from './findings.js';
import type { Chart } from './specs.js';
import {
  costSummary,
  crowdLines,
  eventLines,
  fairnessSummary,
  placementLines,
  reloadRefusals,
  reloadSummary,
  rowCells,
  type SummaryTable,
} from './summary.js';
import { nodeText } from './text.js';

/** Text from a result file, inert in Markdown: no HTML, links, emphasis or table breaks. */
export const mdText = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~#!]/g, '\\$&')
    .replace(/\r?\n/g, ' ');

function table({ head, rows }: SummaryTable): string[] {
  if (rows.length === 0) return [];
  return [
    `| ${head.join(' | ')} |`,
    `|${head.map((_, i) => (i === 0 ? ':---' : '---:')).join('|')}|`,
    ...rows.map((row) => `| ${rowCells(row).map(mdText).join(' | ')} |`),
    '',
  ];
}

function envLine(r: RunResult): string {
  const e = r.env;
  const o = r.options;
  return mdText(
    `${e.platform} ${e.release} ${e.arch} · ${e.cpuModel} · ${e.cores} cores · ${nodeText(e)} · ${loadText(o)} · ${o.workers} workers · ` +
      `${o.app ? `app ${o.app.file}` : `${o.server} / ${o.work}`} · seed ${o.seed}`,
  );
}

export interface MarkdownRun {
  label: string;
  result: RunResult;
}

/**
 * One section per run (label, environment, table) then the charts: the headline chart inline,
 * every chart linked. `svgHref` and `page` are relative to the Markdown file.
 */
export function reportMarkdown(
  title: string,
  runs: readonly MarkdownRun[],
  charts: readonly Chart[],
  svgHref: (id: string) => string,
  page: string,
): string {
  const lines = [`## ${mdText(title)}`, ''];
  for (const { label, result } of runs) {
    if (runs.length > 1) lines.push(`### ${mdText(label)}`, '');
    const f = findings(result);
    lines.push('**Findings**', '', ...f.findings.map((l) => `- ${mdText(l)}`), '');
    if (f.caveats.length > 0) lines.push('**Read with care**', '', ...f.caveats.map((l) => `- ${mdText(l)}`), '');
    lines.push(envLine(result), '', ...table(fairnessSummary(result.strategies)), ...table(costSummary(result.strategies)));
    const reload = reloadSummary(result.strategies);
    if (reload !== null)
      lines.push(
        '**Rolling restart** (--fault reload)',
        '',
        ...table(reload),
        ...reloadRefusals(result.strategies).map((l) => `- ${mdText(l)}`),
      );
    for (const l of crowdLines(result.strategies)) lines.push(`- ${mdText(l)}`);
    const happened = [...eventLines(result.strategies), ...placementLines(result.strategies)];
    if (happened.length > 0) lines.push('', '**Worker events**', '', ...happened.map((l) => `- ${mdText(l)}`), '');
    const skipped = result.strategies.filter(isSkipped);
    for (const s of skipped) lines.push(`- ${mdText(`${s.name} skipped: ${s.skipped}`)}`);
    if (skipped.length > 0) lines.push('');
  }
  if (charts.length > 0) {
    lines.push(`![${mdText(charts[0].title)}](${svgHref(charts[0].id)})`, '');
    lines.push(`Charts: ${charts.map((c) => `[${mdText(c.title)}](${svgHref(c.id)})`).join(' · ')} · [interactive page](${page})`, '');
  }
  return lines.join('\n');
}
