// `npm run perf:pick`: the cost of each dispatch strategy's pick() at 2..128 workers (perf/measure/pick.ts).
import { alignedTable } from '../../reports/text.js';
import { type Command, INTERRUPTED_EXIT } from '../../scripts/lib/command.js';
import { measurePick } from '../measure/pick.js';

export const perfPick: Command<null> = {
  name: 'perf:pick',
  summary: 'Time how long each dispatch strategy takes to pick a worker, at 2, 8, 32 and 128 workers (tinybench).',
  flags: {},
  examples: ['npm run perf:pick'],
  exitCodes: `0 ok, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse: () => null,
  async run(_o, { out }) {
    out.write(`pick() cost per strategy, with its load bookkeeping (tinybench, batches of 1000, Node ${process.version})\n\n`);
    const rows = (await measurePick()).map((r) =>
      r.state !== 'completed'
        ? [r.strategy, String(r.workers), r.state, '', '', '']
        : [r.strategy, String(r.workers), r.nsMean.toFixed(1), r.nsP99.toFixed(1), `±${r.rmePct.toFixed(1)}%`, r.mPicksPerS.toFixed(1)],
    );
    out.write(`${alignedTable(['strategy', 'workers', 'ns/pick mean', 'ns/pick p99', 'rme', 'Mpicks/s'], rows)}\n`);
    return 0;
  },
};
