// `npm run report`: result folders -> report files. Bad input exits 2 with one line, nothing written.
import path from 'node:path';
import { msg, UsageError } from '../runner/errors.js';
import { flagLines, parseFlags } from '../runner/flags.js';
import { INDEX_HTML, REPORT_HTML, REPORT_MD, reportFolder, reportSite } from './render.js';

const FLAGS = {
  out: { type: 'string', value: 'DIR', description: `write a static site: DIR/${INDEX_HTML}, one page per run, and (2+ runs) a comparison page` },
  debug: { type: 'boolean', description: 'print stack traces on errors' },
  help: { type: 'boolean', description: 'show this help' },
} as const;

export function helpText(): string {
  return [
    'cluster-sched-bench report: result files -> HTML page, SVG charts, Markdown summary (reads files only)',
    '',
    'Usage: npm run report -- RESULT_DIR... [flags]',
    '',
    `  One folder, no --out: re-renders it in place: ${REPORT_HTML}, ${REPORT_MD}, one SVG per chart.`,
    '  Several folders need --out (a static site with every run and one page with the runs side by side).',
    '',
    ...flagLines(FLAGS),
    '',
    'Examples:',
    '  npm run report -- results/20261122-031006-d40c',
    '  npm run report -- results/linux-node20 results/linux-node22 --out site',
    '',
    'Exit codes: 0 ok, 2 bad usage or a bad result file (nothing written), 1 anything else.',
  ].join('\n');
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: string[], err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const debug = argv.includes('--debug');
  try {
    const { values, positionals } = parseFlags(argv, FLAGS, true);
    if (values.help) {
      process.stdout.write(`${helpText()}\n`); // asked-for output: pipeable, as bench --help
      return 0;
    }
    if (positionals.length === 0) throw new UsageError(msg.reportArgs('give at least one result folder (results/<run-id>)'));
    const t0 = performance.now();
    let page: string;
    if (values.out !== undefined) page = await reportSite(positionals, String(values.out));
    else if (positionals.length === 1) page = await reportFolder(positionals[0]);
    else throw new UsageError(msg.reportArgs(`${positionals.length} result folders need --out DIR (a site with the runs side by side)`));
    err.write(`report: ${path.normalize(page)} (${Math.round(performance.now() - t0)} ms)\n`);
    return 0;
  } catch (e) {
    const error = e as Error & { exitCode?: number };
    err.write(`error: ${error.message}\n`);
    if (debug && error.stack) err.write(`${error.stack}\n`);
    return error instanceof UsageError ? error.exitCode : (error.exitCode ?? 1);
  }
}
