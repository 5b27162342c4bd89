// `npm run report`: result folders -> report files. Bad input exits 2 with one line, nothing written.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { RESULT_FILE, runFoldersUnder } from '../../format/io.js';
import { INDEX_HTML, REPORT_HTML, REPORT_MD, reportFolder, reportSite } from '../../reports/render.js';
import { type Command, INTERRUPTED_EXIT } from '../lib/command.js';

export interface ReportRequest {
  /** Run folders (those given, and those found below folders of runs). */
  dirs: string[];
  /** A static site folder; absent: re-render the one folder in place. */
  out?: string;
}

/**
 * The run folders `paths` name: each a run folder, or a folder of runs searched down for result.json
 * as compare does (CI's merged results/<cell>/<run-id>), each folder once. A path that is no folder
 * is kept as given: loadRun then says what is wrong with it.
 */
export function runDirs(paths: readonly string[]): string[] {
  const dirs = paths.flatMap((p) => {
    if (!existsSync(p) || !statSync(p).isDirectory()) return [p];
    const found = runFoldersUnder(p);
    if (found.length === 0) throw new UsageError(msg.runFolder(p, `no ${RESULT_FILE} in it or below it`));
    return found;
  });
  return [...new Map(dirs.map((d) => [path.resolve(d), d])).values()];
}

export const report: Command<ReportRequest> = {
  name: 'report',
  summary: 'Render result folders as an HTML page, SVG charts and a Markdown summary (reads files only).',
  usage: 'RESULT_DIR... [flags]',
  notes: [
    `A folder is a run (it holds ${RESULT_FILE}) or a folder of runs, searched down for them as compare does.\n` +
      `One run, no --out: re-renders it in place: ${REPORT_HTML}, ${REPORT_MD}, one SVG per chart.\n` +
      'Several runs need --out (a static site with every run and one page with the runs side by side).',
  ],
  flags: {
    out: {
      type: 'string',
      value: 'DIR',
      description: `write a static site: DIR/${INDEX_HTML}, one page per run, and (2+ runs) a comparison page`,
    },
  },
  positionals: true,
  examples: [
    'npm run report -- results/20261122-031006-d40c',
    'npm run report -- results/linux-node20 results/linux-node22 --out site',
    'npm run report -- results --out site                   # every run under results/',
  ],
  exitCodes: `0 ok, 1 anything else, 2 bad usage or a bad result file (nothing written), ${INTERRUPTED_EXIT}.`,
  parse(values, positionals) {
    if (positionals.length === 0) throw new UsageError(msg.reportArgs('give at least one result folder (results/<run-id>)'));
    const out = values.out as string | undefined;
    const dirs = runDirs(positionals);
    if (out === undefined && dirs.length > 1) {
      const found = positionals.length === 1 ? ` (found under '${positionals[0]}')` : '';
      throw new UsageError(msg.reportArgs(`${dirs.length} result folders${found} need --out DIR (a site with the runs side by side)`));
    }
    return { dirs, out };
  },
  async run({ dirs, out }, { err }) {
    const t0 = performance.now();
    const page = out === undefined ? await reportFolder(dirs[0]) : await reportSite(dirs, out);
    err.write(`report: ${path.normalize(page)} (${Math.round(performance.now() - t0)} ms)\n`);
    return 0;
  },
};
