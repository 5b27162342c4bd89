// The report compiler. Render only: it reads result files and never starts a cluster.
//
//   folders -> loadRun (read + validate every result.json; any problem: UsageError, nothing written)
//           -> labelRuns -> charts (typed vega-lite specs, aggregated data)
//           -> SVG (vega headless) + HTML (bundles inlined) + Markdown, all in memory
//           -> check the destination is writable -> write every file (atomically, one by one)
//
// One folder re-renders in place:  DIR/report.html, DIR/report.md, DIR/<chart>.svg
// A site (--out OUT):               OUT/index.html
//                                   OUT/runs/<folder name>/{report.html, report.md, *.svg, result.json, requests.csv}
//                                   OUT/compare/{report.html, report.md, *.svg}   (two runs or more)
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkWritable, type LoadedRun, loadRun, RESULT_FILE, writeAtomic } from '../format/io.js';
import { REQUESTS_FILE } from '../format/requests.js';
import { type LabeledRun, labelRuns } from './data.js';
import { indexPage, type PageRun, reportPage } from './html.js';
import { reportMarkdown } from './markdown.js';
import { charts as buildCharts } from './specs.js';
import { renderSvg } from './svg.js';

export const REPORT_HTML = 'report.html';
export const REPORT_MD = 'report.md';
export const INDEX_HTML = 'index.html';

/** A file to write: its content, or the file to copy it from. */
export type OutFile = { file: string; data: string } | { file: string; copyOf: string };

const svgName = (id: string): string => `${id}.svg`;
/** A relative URL from path segments (forward slashes on every platform). */
const href = (...parts: string[]): string => parts.map(encodeURIComponent).join('/');

interface Page {
  title: string;
  runs: PageRun[];
  labeled: LabeledRun[];
  /** Folder of the page, its SVGs and its Markdown. */
  dir: string;
  nav?: Array<{ href: string; text: string }>;
}

/** report.html, report.md and one SVG per chart for one page (one run, or several side by side). */
async function pageFiles(p: Page): Promise<OutFile[]> {
  const charts = buildCharts(p.labeled);
  const svgs: OutFile[] = [];
  for (const c of charts) svgs.push({ file: path.join(p.dir, svgName(c.id)), data: await renderSvg(c.spec) });
  const svgHref = (id: string): string => href(svgName(id));
  return [
    { file: path.join(p.dir, REPORT_HTML), data: reportPage({ title: p.title, runs: p.runs, charts, svgHref, nav: p.nav }) },
    { file: path.join(p.dir, REPORT_MD), data: reportMarkdown(p.title, p.runs, charts, svgHref, REPORT_HTML) },
    ...svgs,
  ];
}

const runTitle = (l: LabeledRun): string => `cluster-sched-bench: ${l.label}`;

/** Files that re-render one run folder in place. */
export async function planFolder(run: LoadedRun): Promise<OutFile[]> {
  const [labeled] = labelRuns([run.result]);
  const links = { result: href(RESULT_FILE), requests: run.hasRequests ? href(REQUESTS_FILE) : undefined };
  return pageFiles({ title: runTitle(labeled), runs: [{ ...labeled, links }], labeled: [labeled], dir: run.dir });
}

/** Folder names for the site: the input folder's name, made safe and unique. */
export function siteNames(dirs: readonly string[]): string[] {
  const used = new Set<string>();
  return dirs.map((d) => {
    const base =
      path
        .basename(path.resolve(d))
        .replace(/[^A-Za-z0-9._-]/g, '_')
        .replace(/^\.+/, '_') || 'run';
    let name = base;
    for (let k = 2; used.has(name); k++) name = `${base}-${k}`;
    used.add(name);
    return name;
  });
}

/** Files of a static site over several runs (see the diagram at the top). */
export async function planSite(runs: readonly LoadedRun[], out: string): Promise<OutFile[]> {
  const labeled = labelRuns(runs.map((r) => r.result));
  const names = siteNames(runs.map((r) => r.dir));
  const compare = runs.length > 1;
  const files: OutFile[] = [];
  for (const [i, run] of runs.entries()) {
    const dir = path.join(out, 'runs', names[i]);
    const links = { result: href(RESULT_FILE), requests: run.hasRequests ? href(REQUESTS_FILE) : undefined };
    const nav = [
      { href: href('..', '..', INDEX_HTML), text: 'all runs' },
      ...(compare ? [{ href: href('..', '..', 'compare', REPORT_HTML), text: 'runs side by side' }] : []),
    ];
    files.push(...(await pageFiles({ title: runTitle(labeled[i]), runs: [{ ...labeled[i], links }], labeled: [labeled[i]], dir, nav })));
    files.push({ file: path.join(dir, RESULT_FILE), copyOf: path.join(run.dir, RESULT_FILE) });
    if (run.hasRequests) files.push({ file: path.join(dir, REQUESTS_FILE), copyOf: path.join(run.dir, REQUESTS_FILE) });
  }
  if (compare) {
    const pageRuns = labeled.map((l, i) => ({
      ...l,
      links: {
        page: href('..', 'runs', names[i], REPORT_HTML),
        result: href('..', 'runs', names[i], RESULT_FILE),
        requests: runs[i].hasRequests ? href('..', 'runs', names[i], REQUESTS_FILE) : undefined,
      },
    }));
    const title = `cluster-sched-bench: ${runs.length} runs side by side`;
    files.push(
      ...(await pageFiles({
        title,
        runs: pageRuns,
        labeled,
        dir: path.join(out, 'compare'),
        nav: [{ href: href('..', INDEX_HTML), text: 'all runs' }],
      })),
    );
  }
  const entries = labeled.map((l, i) => ({ ...l, page: href('runs', names[i], REPORT_HTML) }));
  files.push({ file: path.join(out, INDEX_HTML), data: indexPage(entries, compare ? href('compare', REPORT_HTML) : null) });
  return files;
}

/** Write planned files (folders created as needed). Call only after planning succeeded. */
export function writeFiles(files: readonly OutFile[]): void {
  for (const f of files) {
    mkdirSync(path.dirname(f.file), { recursive: true });
    writeAtomic(f.file, 'data' in f ? f.data : readFileSync(f.copyOf, 'utf8'));
  }
}

/** Re-render one run folder in place; returns the path of its report.html. */
export async function reportFolder(dir: string): Promise<string> {
  const run = loadRun(dir);
  const files = await planFolder(run);
  checkWritable(dir, 'the report into');
  writeFiles(files);
  return path.join(dir, REPORT_HTML);
}

/** Render several run folders into a static site at `out`; returns the path of its index.html. */
export async function reportSite(dirs: readonly string[], out: string): Promise<string> {
  const runs = dirs.map(loadRun); // every input validated before anything is rendered or written
  const files = await planSite(runs, out);
  checkWritable(out, 'the site to --out');
  writeFiles(files);
  return path.join(out, INDEX_HTML);
}

/** After a run: render its folder and say where the page is; a failed render never fails the run. */
export async function reportLine(dir: string): Promise<string> {
  try {
    return `report ${await reportFolder(dir)}`;
  } catch (err) {
    return `report not written: ${(err as Error).message}`;
  }
}
