// `npm run report`: result folders -> report files. Bad input exits 2 with one line, nothing written.
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { INDEX_HTML, REPORT_HTML, REPORT_MD, reportFolder, reportSite } from '../../reports/render.js';
import { type Command, INTERRUPTED_EXIT } from '../lib/command.js';

export interface ReportRequest {
  dirs: string[];
  /** A static site folder; absent: re-render the one folder in place. */
  out?: string;
}

export const report: Command<ReportRequest> = {
  name: 'report',
  summary: 'Render result folders as an HTML page, SVG charts and a Markdown summary (reads files only).',
  usage: 'RESULT_DIR... [flags]',
  notes: [
    `One folder, no --out: re-renders it in place: ${REPORT_HTML}, ${REPORT_MD}, one SVG per chart.\n` +
      'Several folders need --out (a static site with every run and one page with the runs side by side).',
  ],
  flags: {
    out: {
      type: 'string',
      value: 'DIR',
      description: `write a static site: DIR/${INDEX_HTML}, one page per run, and (2+ runs) a comparison page`,
    },
  },
  positionals: true,
  examples: ['npm run report -- results/20261122-031006-d40c', 'npm run report -- results/linux-node20 results/linux-node22 --out site'],
  exitCodes: `0 ok, 1 anything else, 2 bad usage or a bad result file (nothing written), ${INTERRUPTED_EXIT}.`,
  parse(values, positionals) {
    if (positionals.length === 0) throw new UsageError(msg.reportArgs('give at least one result folder (results/<run-id>)'));
    const out = values.out as string | undefined;
    if (out === undefined && positionals.length > 1)
      throw new UsageError(msg.reportArgs(`${positionals.length} result folders need --out DIR (a site with the runs side by side)`));
    return { dirs: positionals, out };
  },
  async run({ dirs, out }, { err }) {
    const t0 = performance.now();
    const page = out === undefined ? await reportFolder(dirs[0]) : await reportSite(dirs, out);
    err.write(`report: ${path.normalize(page)} (${Math.round(performance.now() - t0)} ms)\n`);
    return 0;
  },
};
