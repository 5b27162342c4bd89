// `npm run simulate`: the bench's experiment in a seeded discrete-event simulation (sim/), at any
// worker count: the same loads and flags where they apply, the strategies' own pickers, the costs a
// 2-core box hides as parameters, and --like RUN to take them from a measured run. What is
// modelled and how it was checked: docs/simulate.md.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../format/errors.js';
import { RESULT_FILE, writeAtomic } from '../../format/io.js';
import { LOAD_MODES } from '../../format/loads.js';
import { environment } from '../../runner/env.js';
import { REPO_DIR } from '../../runner/run.js';
import { importUserStrategy, loadUserStrategy } from '../../runner/user-strategy.js';
import { WORK_FORMS } from '../../servers/work.js';
import { WAKE_ORDERS } from '../../sim/placement.js';
import { mmnResponse, supermarketResponse } from '../../sim/theory.js';
import { validPolicyList } from '../../strategies/registry.js';
import { type Command, INTERRUPTED_EXIT } from '../lib/command.js';
import type { FlagDoc } from '../lib/flags.js';
import { parseSim } from '../lib/sim-options.js';
import { likeTable, resultOf, type SimRequest, simTable, simulateAll } from '../lib/sim-result.js';

const FLAGS = {
  policy: { type: 'string', value: 'LIST', shown: 'all', description: `strategies, comma-separated: ${validPolicyList()}` },
  'strategy-file': {
    type: 'string',
    value: 'FILE',
    description: 'also simulate your own strategy (an ES module, as bench takes it): its own pick() code',
  },
  workers: { type: 'string', value: 'N', shown: '8', description: 'workers (up to 4096)' },
  load: {
    type: 'string',
    value: 'MODE',
    shown: 'open',
    description: `${LOAD_MODES.join(', ')}, as bench runs them (open without --rate: Poisson arrivals at --utilization)`,
  },
  connections: {
    type: 'string',
    value: 'C',
    description: 'burst: connections per round; churn, sustained: concurrent clients (defaults as bench)',
  },
  rounds: { type: 'string', value: 'R', description: 'burst: rounds (default as bench)' },
  duration: { type: 'string', value: 'S', description: 'churn, sustained, open with --rate: simulated seconds (defaults as bench)' },
  rate: { type: 'string', value: 'N', description: "open: requests per second on the bench's fixed schedule (instead of --utilization)" },
  utilization: { type: 'string', value: 'P', shown: '80', description: 'open: Poisson arrivals at this percent of what the workers serve' },
  requests: {
    type: 'string',
    value: 'N',
    shown: '200000',
    description: 'open at --utilization: requests (the first 10% warm up, not recorded)',
  },
  work: {
    type: 'string',
    value: 'PROFILE',
    shown: 'exp:1',
    description: `each request's CPU work, as the servers' --work: ${WORK_FORMS} (io refused)`,
  },
  'overhead-us': {
    type: 'string',
    value: 'US',
    shown: '0',
    description: "a worker's CPU per request besides the work (HTTP parsing, the response)",
  },
  'primary-us': {
    type: 'string',
    value: 'US',
    shown: '0',
    description: "the primary's CPU per dispatched connection (rr, userland, proxy)",
  },
  'client-us': { type: 'string', value: 'US', shown: '0', description: "the load generator's CPU per request (it shares the cores)" },
  'ipc-us': { type: 'string', value: 'US', shown: '0 (--like: 50)', description: 'handing a connection to a worker takes this long' },
  'report-us': {
    type: 'string',
    value: 'US',
    shown: '0 (--like: 200)',
    description: "a worker's close / idle report reaches the primary this late",
  },
  'accept-us': {
    type: 'string',
    value: 'US',
    shown: '0',
    description: "none, shared-handle: a woken worker's CPU before its accept() (a busy one may take the connection first)",
  },
  cores: {
    type: 'string',
    value: 'N',
    shown: 'workers + 2',
    description: 'cores the workers, the primary and the load generator share (time-sliced)',
  },
  ideal: {
    type: 'boolean',
    description: 'no costs at all: primary, IPC, reports and load generator free, a core each (the theory checks)',
  },
  wake: {
    type: 'string',
    value: 'ORDER',
    shown: 'lifo',
    description: `none, shared-handle: which idle worker the kernel wakes: ${WAKE_ORDERS.join(', ')}`,
  },
  'client-addrs': {
    type: 'string',
    value: 'N',
    shown: '1',
    description: 'loopback source addresses the clients spread over (sticky hashes them)',
  },
  seed: {
    type: 'string',
    value: 'N',
    shown: 'random',
    description: 'seed of arrivals, service times and random picks (repetition i: seed + i)',
  },
  runs: { type: 'string', value: 'N', shown: '1', description: 'repetitions of each strategy, seeds seed, seed + 1, ...' },
  like: {
    type: 'string',
    value: 'RUN',
    description:
      "calibrate from a measured run: its load, workers, work, client addresses and cores, each strategy's measured costs; then measured and simulated side by side (--workers extrapolates)",
  },
  out: {
    type: 'string',
    value: 'DIR',
    description: 'write a result document (DIR/<run-id>/result.json): npm run report and compare read it',
  },
  json: { type: 'boolean', description: 'print the result document (JSON) on stdout' },
} as const satisfies Record<string, FlagDoc>;

/** The header line: what is simulated. */
function describe(o: SimRequest): string {
  const load =
    o.load === 'burst'
      ? `burst ${o.connections} x ${o.rounds}`
      : o.load === 'open'
        ? o.rate !== undefined
          ? `open ${o.rate} req/s for ${o.duration} s`
          : `open, Poisson at ${Math.round(o.rho * 100)}% load, ${o.requests} requests`
        : `${o.load} ${o.connections} connections for ${o.duration} s`;
  const c = o.costs;
  const costs = o.like
    ? "each strategy's measured costs"
    : `primary ${c.primaryMs * 1000} µs/conn, overhead ${c.overheadMs * 1000} µs/req, load generator ${c.clientMs * 1000} µs/req`;
  return (
    `simulate: ${o.workers} workers, ${load}, work ${o.work}, seed ${o.seed}${o.runs > 1 ? `, ${o.runs} runs` : ''}; ${costs}; ` +
    `IPC ${o.ipcMs * 1000} µs, reports ${o.reportMs * 1000} µs late, ${Number.isFinite(o.cores) ? `${o.cores} cores` : 'a core each'}; ` +
    `none wakes ${o.wake}${o.acceptMs > 0 ? `, ${o.acceptMs * 1000} µs to accept` : ''}`
  );
}

export const simulateCommand: Command<SimRequest & { strategyFile?: string }> = {
  name: 'simulate',
  summary: "Simulate the bench's experiment at any worker count, in a seeded discrete-event simulation.",
  notes: [
    "The loads as bench runs them, placed by the strategies' own pick() code (rr, none, reuseport, the proxy: models of\n" +
      'how they work), each worker serving its queue one request at a time, the workers, the primary and the load\n' +
      'generator sharing the cores. With every cost at 0 (the default) the results are checked against queueing theory;\n' +
      '--like RUN takes the costs from a measured run (docs/simulate.md).',
  ],
  flags: FLAGS,
  examples: [
    'npm run simulate -- --workers 64 --utilization 90',
    'npm run simulate -- --like results/<run-id>                      # measured against simulated, same settings',
    'npm run simulate -- --like results/<run-id> --workers 1024        # then extrapolated',
    'npm run simulate -- --load burst --connections 1000 --rounds 20 --work mixed:10:20 --overhead-us 400 --primary-us 200',
    'npm run simulate -- --ideal --workers 128 --utilization 90         # the theory checks: no cost anywhere',
  ],
  exitCodes: `0 ok, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse: (values) => parseSim(values),
  async run(req, { err, out }) {
    const o: SimRequest = { ...req };
    if (req.strategyFile !== undefined) {
      // Tried in a thread with a time limit first (a pick that never returns stops there), then imported here.
      await loadUserStrategy(req.strategyFile).catch((e: Error) => {
        throw new UsageError(e.message);
      });
      o.user = await importUserStrategy(req.strategyFile);
    }
    const reps = simulateAll(o);
    err.write(
      `${describe(o)}\n\n${simTable(reps)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')}\n\n`,
    );
    if (o.like) err.write(`${likeTable(o, reps)}\n\n`);
    if (o.load === 'open' && o.rate === undefined && o.service === 'exp' && o.costs.overheadMs === 0)
      err.write(
        `  theory, mean response in mean service times at ${Math.round(o.rho * 100)}% load: M/M/1 (random) ${(1 / (1 - o.rho)).toFixed(3)}, ` +
          `supermarket d=2 (p2c, many workers) ${supermarketResponse(o.rho).toFixed(3)}, M/M/N (one central queue: the floor) ${mmnResponse(o.workers, o.rho).toFixed(3)}\n`,
      );
    if (o.out !== undefined || o.json) {
      const doc = resultOf(o, reps, environment(REPO_DIR, `simulated ${o.workers} workers`));
      if (o.out !== undefined) {
        const dir = path.join(o.out, doc.runId);
        mkdirSync(dir, { recursive: true });
        writeAtomic(path.join(dir, RESULT_FILE), `${JSON.stringify(doc, null, 2)}\n`);
        err.write(`  result document: ${path.join(dir, RESULT_FILE)} (npm run report -- ${dir})\n`);
      }
      if (o.json) out.write(`${JSON.stringify(doc, null, 2)}\n`);
    }
    return 0;
  },
};
