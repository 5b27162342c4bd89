// `npm run bench`: options -> runner (collect) -> result files (format) -> terminal tables and the
// report (reports) -> exit code. Humans get stderr; --json prints the result document to stdout.
import path from 'node:path';
import { writeRun } from '../../format/io.js';
import { comparisonTable, costTable, envHeader, problemsText, strategyLine } from '../../reports/terminal.js';
import { stopAll } from '../../runner/cluster/handle.js';
import { runBench } from '../../runner/run.js';
import { type BenchRequest, EXAMPLES, FLAGS, parseBench } from '../lib/bench-options.js';
import type { Command } from '../lib/command.js';

export const bench: Command<BenchRequest> = {
  name: 'bench',
  summary: 'cluster-sched-bench: how Node.js cluster spreads connections across workers',
  flags: FLAGS,
  positionals: true,
  examples: EXAMPLES,
  exitCodes: '0 ok, 1 a failed run or unaccounted requests, 2 bad usage, 130 interrupted.',
  parse: parseBench,
  cleanup: stopAll,
  interruptNote: 'stopping every cluster; no results written',
  async run(req, { err, out, paint, signal }) {
    const { result, rows } = await runBench(req.options, {
      label: req.label,
      signal,
      onStart: ({ runId, env }) => err.write(`${envHeader(env, req.options, runId)}\n\n`),
      onRound: (name, i, n) => err.isTTY && err.write(`\r  ${name} round ${i}/${n} `),
      onStrategy: (s) => err.write(`${err.isTTY ? '\r\x1b[K' : ''}${strategyLine(s, paint)}\n`),
    });
    if (signal.aborted) return 130;
    const dir = writeRun(result, rows);
    err.write(`\n${comparisonTable(result.strategies, paint)}\n\n${costTable(result.strategies, paint)}\n`);
    const problems = problemsText(result.strategies, paint);
    if (problems) err.write(`\n${problems}\n`);
    err.write(`\n  ${(result.wallMs / 1000).toFixed(1)} s; results in ${dir}${path.sep}\n`);
    if (req.report) {
      const { reportLine } = await import('../../reports/render.js'); // reads the files just written; loads vega only here
      err.write(`  ${await reportLine(dir)}\n`);
    }
    if (req.json) out.write(`${JSON.stringify(result, null, 2)}\n`);
    return result.ok ? 0 : 1;
  },
};
