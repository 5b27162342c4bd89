// Self-contained HTML: environment header, summary table, charts (vega-embed, bundles inlined
// from node_modules, no CDN), links to the raw files. Works offline; publish the file as is.
// Every string from a result file goes through `esc` (HTML) or `jsonForScript` (embedded JSON),
// and a Content-Security-Policy allows only the page's own scripts (by hash): an injected
// <script> would neither parse as one nor run.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadText } from '../format/loads.js';
import { isSkipped, measured, type RunResult, type StrategyResult } from '../format/schema.js';
import { findings } from './findings.js';
import type { Chart } from './specs.js';
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
} from './summary.js';
import { nodeText } from './text.js';

/** Text for HTML element content and attribute values. */
export const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** JSON that cannot end its <script> element or open a comment, whatever strings it carries. */
export const jsonForScript = (v: unknown): string =>
  JSON.stringify(v)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');

// None of the packages exports its build folder, so resolve the entry and take its directory.
const buildDir = (pkg: string): string => path.dirname(fileURLToPath(import.meta.resolve(pkg)));
const BUNDLES = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
] as const;

let bundles: string[] | undefined;

/** The three UMD bundles, without their sourceMappingURL (the .map is not shipped). */
export function browserBundles(): string[] {
  bundles ??= BUNDLES.map(([pkg, file]) =>
    readFileSync(path.join(buildDir(pkg), file), 'utf8')
      .replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '')
      .replaceAll('</script', '<\\/script'),
  );
  return bundles;
}

const sha256 = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

/** Draws every chart; records the outcome on `document.body.dataset` for tests and a broken chart in its figure. */
const BOOT = `(() => {
  const charts = JSON.parse(document.getElementById('chart-specs').textContent);
  const jobs = charts.map((c) => vegaEmbed('#chart-' + c.id, c.spec, { renderer: 'svg', actions: false }).catch((err) => {
    document.getElementById('chart-' + c.id).textContent = 'chart failed: ' + err.message;
    console.error('chart ' + c.id + ' failed:', err);
    throw err;
  }));
  Promise.allSettled(jobs).then((rs) => {
    document.body.dataset.charts = String(rs.filter((r) => r.status === 'fulfilled').length);
    document.body.dataset.failed = String(rs.filter((r) => r.status === 'rejected').length);
  });
})();`;

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 1.5rem auto; max-width: 1280px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.4rem; margin-bottom: .25rem; } h2 { font-size: 1.15rem; margin-top: 2rem; } h3 { font-size: 1rem; }
table { border-collapse: collapse; margin: .5rem 0; } th, td { padding: .2rem .6rem; border-bottom: 1px solid #ddd; text-align: right; white-space: nowrap; }
th:first-child, td:first-child { text-align: left; } th { background: #f4f4f4; }
table.env th, table.env td { text-align: left; white-space: normal; } table.env th { width: 11rem; }
.bad { color: #b00020; font-weight: 600; } .muted { color: #666; }
figure { margin: 1rem 0 2rem; } figcaption { color: #555; max-width: 60rem; margin-top: .25rem; }
nav a, .links a { margin-right: 1rem; } .scroll { overflow-x: auto; }`;

export interface PageRun {
  label: string;
  result: RunResult;
  /** Relative links: the raw result files, and (on the comparison page) the run's own page. */
  links: { result: string; requests?: string; page?: string };
}

export interface PageInput {
  title: string;
  runs: PageRun[];
  charts: Chart[];
  /** Relative link to each chart's SVG file. */
  svgHref: (id: string) => string;
  nav?: Array<{ href: string; text: string }>;
}

const link = (href: string, text: string): string => `<a href="${esc(href)}">${esc(text)}</a>`;

function envRows(r: RunResult): Array<[string, string]> {
  const e = r.env;
  const o = r.options;
  return [
    ['run', `${r.runId}, started ${r.startedAt}, ${(r.wallMs / 1000).toFixed(1)} s`],
    ['label', e.label ?? '(none)'],
    ['platform', `${e.platform} ${e.release} ${e.arch}`],
    ['CPU', `${e.cpuModel}, ${e.cores} cores`],
    ['Node', nodeText(e).replace(/^Node /, '')],
    ['runs', String(o.runs ?? 1)],
    [
      'not measured here',
      Object.entries(e.unmeasured ?? {})
        .map(([k, why]) => `${k}: ${why}`)
        .join('; ') || '(nothing)',
    ],
    ['host', e.hostname],
    ['load', loadText(o)],
    ['workers', String(o.workers)],
    ['server / work', o.app ? `--app ${o.app.file} (sha256 ${o.app.sha256.slice(0, 12)})` : `${o.server} / ${o.work}`],
    ['strategies', o.policies.join(', ')],
    ['seed / backlog', `${o.seed} / ${o.backlog}`],
    ['NODE_CLUSTER_SCHED_POLICY', e.schedPolicyEnv ?? '(unset)'],
    ['git commit', e.gitCommit ?? '(none)'],
    ['tool', `${r.tool.name} ${r.tool.version}`],
  ];
}

function envTable(runs: readonly PageRun[]): string {
  const rows = runs.map((r) => envRows(r.result));
  const head = runs.length > 1 ? `<tr><th></th>${runs.map((r) => `<th>${esc(r.label)}</th>`).join('')}</tr>` : '';
  const body = rows[0].map(([name], i) => `<tr><th>${esc(name)}</th>${rows.map((r) => `<td>${esc(r[i][1])}</td>`).join('')}</tr>`);
  return `<div class="scroll"><table class="env">${head}${body.join('')}</table></div>`;
}

const td = (c: string): string => `<td>${esc(c)}</td>`;

function htmlTable(t: SummaryTable): string {
  return (
    `<div class="scroll"><table><tr>${t.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>` +
    t.rows.map((r) => `<tr${marked(t, r) ? ' class="bad"' : ''}>${rowCells(r).map(td).join('')}</tr>`).join('') +
    '</table></div>'
  );
}

/** Throughput, tail latency and what it cost: primary, workers, load generator, listen overflows. */
function costTable(strategies: readonly StrategyResult[]): string {
  const t = costSummary(strategies);
  return t.rows.length === 0 ? '' : `<p class="caption">Throughput and cost</p>${htmlTable(t)}`;
}

/** --fault reload: the rolling restart per strategy. */
function reloadTable(strategies: readonly StrategyResult[]): string {
  const t = reloadSummary(strategies);
  if (t === null) return '';
  const refused = reloadRefusals(strategies);
  return `<p class="caption">Rolling restart (--fault reload): every worker replaced, one at a time</p>${htmlTable(t)}${
    refused.length > 0 ? `<ul>${refused.map((l) => `<li class="bad">${esc(l)}</li>`).join('')}</ul>` : ''
  }`;
}

/** The busiest and least busy workers by name, when there are many. */
function crowd(strategies: readonly StrategyResult[]): string {
  const lines = crowdLines(strategies);
  return lines.length === 0 ? '' : `<ul>${lines.map((l) => `<li class="muted">${esc(l)}</li>`).join('')}</ul>`;
}

/** Worker events (faults, deaths, replacements), how they explain the counts, strategies cut short. */
function events(strategies: readonly StrategyResult[]): string {
  const lines = [...eventLines(strategies), ...placementLines(strategies)];
  return lines.length === 0 ? '' : `<p class="caption">Worker events</p><ul>${lines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`;
}

/** Skipped strategies, client errors and reconciliation problems, one line each (at most 10 per strategy). */
function notes(strategies: readonly StrategyResult[]): string {
  const lines = [...strategies.filter(isSkipped).map((s) => `${s.name} skipped: ${s.skipped}`), ...problemLines(strategies)];
  return lines.length === 0 ? '' : `<ul>${lines.map((l) => `<li class="bad">${esc(l)}</li>`).join('')}</ul>`;
}

/** What the numbers say for the choice, and what changes the reading (reports/findings.ts). */
function findingsHtml(r: PageRun, multi: boolean): string {
  const f = findings(r.result);
  return [
    multi ? `<h3>${esc(r.label)}</h3>` : '',
    `<ul class="findings">${f.findings.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>`,
    f.caveats.length > 0
      ? `<p class="caption">Read with care</p><ul>${f.caveats.map((l) => `<li class="bad">${esc(l)}</li>`).join('')}</ul>`
      : '',
  ].join('\n');
}

function runSummary(r: PageRun, multi: boolean): string {
  const links = [
    r.links.page ? link(r.links.page, 'report page') : '',
    link(r.links.result, 'result.json'),
    r.links.requests ? link(r.links.requests, 'requests.csv (raw rows)') : '',
  ].filter(Boolean);
  return [
    multi ? `<h3>${esc(r.label)}</h3>` : '',
    htmlTable(fairnessSummary(r.result.strategies)),
    costTable(r.result.strategies),
    reloadTable(r.result.strategies),
    notes(r.result.strategies),
    events(r.result.strategies),
    crowd(r.result.strategies),
    `<p class="links">${links.join(' ')}</p>`,
  ].join('\n');
}

function figure(c: Chart, svgHref: string): string {
  return [
    `<figure><h2>${esc(c.title)}</h2>`,
    `<div id="chart-${esc(c.id)}" class="chart scroll"></div>`,
    `<figcaption>${esc(c.caption)} ${link(svgHref, 'SVG')}</figcaption></figure>`,
  ].join('\n');
}

export function reportPage(p: PageInput): string {
  const scripts = [...browserBundles(), BOOT];
  const csp = [
    "default-src 'none'",
    // vega compiles its expressions with Function(), hence 'unsafe-eval'; inline scripts only by hash
    `script-src ${scripts.map(sha256).join(' ')} 'unsafe-eval'`,
    "style-src 'unsafe-inline'",
    'img-src data:',
  ].join('; ');
  const multi = p.runs.length > 1;
  const specs = p.charts.map((c) => ({ id: c.id, spec: c.spec }));
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${esc(csp)}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(p.title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body>',
    p.nav && p.nav.length > 0 ? `<nav>${p.nav.map((n) => link(n.href, n.text)).join(' ')}</nav>` : '',
    `<h1>${esc(p.title)}</h1>`,
    '<h2>Findings</h2>',
    ...p.runs.map((r) => findingsHtml(r, multi)),
    '<h2>Environment and options</h2>',
    envTable(p.runs),
    '<h2>Summary</h2>',
    '<p class="muted">shares: per-worker share of responses; Jain: 1 = even, 1/N = one worker took all; ' +
      'max/min ∞: a worker got nothing; round skew: 95th percentile over rounds of the top worker share.</p>',
    ...p.runs.map((r) => runSummary(r, multi)),
    ...p.charts.map((c) => figure(c, p.svgHref(c.id))),
    `<script type="application/json" id="chart-specs">${jsonForScript(specs)}</script>`,
    ...scripts.map((s) => `<script>${s}</script>`),
    '</body></html>',
    '',
  ].join('\n');
}

export interface IndexEntry {
  label: string;
  result: RunResult;
  page: string;
}

/** The static site's front page: every run with its page, and the comparison page. Plain HTML, no scripts. */
export function indexPage(entries: readonly IndexEntry[], compare: string | null): string {
  const rows = entries.map(({ label, result: r, page }) => {
    const worst = measured(r.strategies).map((s) => `${s.name} ${s.metrics.jain?.toFixed(4) ?? 'n/a'}`);
    return (
      `<tr><td>${link(page, label)}</td><td>${esc(r.runId)}</td><td>${esc(r.startedAt)}</td>` +
      `<td>${esc(`${r.env.platform} ${r.env.arch}`)}</td><td>${esc(r.env.clusterNode ?? r.env.node)}</td><td>${esc(`${r.env.cpuModel}, ${r.env.cores} cores`)}</td>` +
      `<td>${esc(`${r.options.workers} workers, ${loadText(r.options)}`)}</td><td>${esc(worst.join(', '))}</td></tr>`
    );
  });
  const head = ['run', 'id', 'started', 'platform', 'Node', 'CPU', 'load', 'Jain per strategy'].map((h) => `<th>${h}</th>`).join('');
  return pageShell(
    'cluster-sched-bench results',
    '',
    [
      compare ? `<p>${link(compare, `All ${entries.length} runs side by side`)}</p>` : '',
      `<div class="scroll"><table class="env"><tr>${head}</tr>`,
      ...rows,
      '</table></div>',
    ].join('\n'),
  );
}

/** A plain page (no scripts): the title as heading, then `body`; `style` adds to the common one. */
export function pageShell(title: string, style: string, body: string): string {
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(title)}</title>`,
    `<style>${STYLE}${style}</style>`,
    '</head><body>',
    `<h1>${esc(title)}</h1>`,
    body,
    '</body></html>',
    '',
  ].join('\n');
}
