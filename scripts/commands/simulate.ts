// `npm run simulate` (issue 18, first part): the discrete-event simulator (sim/) over the modelled
// strategies at any worker count, with the queueing-theory references beside each result. What is
// modelled and how it was checked: docs/simulate.md. Not yet: --like RUN calibration, result
// documents, the accept race (none), reuseport, proxy, shared handle, cores as a resource.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { checkWritable, RESULT_FILE, writeAtomic } from '../../format/io.js';
import { alignedTable } from '../../reports/text.js';
import { environment } from '../../runner/env.js';
import { jain } from '../../runner/metrics.js';
import { REPO_DIR } from '../../runner/run.js';
import { meanService, type SimResult, simulate } from '../../sim/engine.js';
import { placementOf, SIMULATED, WAKE_ORDERS, type WakeOrder } from '../../sim/placement.js';
import { ekm1Response, mm1Response, mmnResponse, supermarketResponse } from '../../sim/theory.js';
import { newSeed } from '../../strategies/rng.js';
import type { Command } from '../lib/command.js';
import { type FlagDoc, intFlag } from '../lib/flags.js';
import { calibrationOf } from '../lib/sim-calibration.js';
import { calibrated, likeTable, measuredUtilization, resultOf, type SimRequest } from '../lib/sim-result.js';

const FLAGS = {
  policy: {
    type: 'string',
    value: 'LIST',
    shown: SIMULATED.join(','),
    description: `strategies, comma-separated: ${SIMULATED.join(', ')}`,
  },
  workers: { type: 'string', value: 'N', shown: '8', description: 'workers (up to 4096)' },
  utilization: { type: 'string', value: 'P', shown: '80', description: 'offered load, percent of what the workers can serve' },
  'service-ms': { type: 'string', value: 'MS', shown: '1', description: 'mean service time of a request' },
  service: { type: 'string', value: 'DIST', shown: 'exp', description: 'service time distribution: exp (exponential), fixed' },
  requests: { type: 'string', value: 'N', shown: '200000', description: 'requests simulated (the first 10% warm up, not recorded)' },
  'primary-us': { type: 'string', value: 'US', shown: '0', description: "the primary's CPU per dispatched connection" },
  'ipc-us': { type: 'string', value: 'US', shown: '0', description: 'handing a connection to a worker takes this long' },
  'report-us': { type: 'string', value: 'US', shown: '0', description: "a worker's close / idle report reaches the primary this late" },
  cores: {
    type: 'string',
    value: 'N',
    shown: 'workers + 1',
    description: 'cores the primary and the workers share (a process runs only on a free core)',
  },
  ideal: { type: 'boolean', description: 'no costs at all: primary, IPC and reports free, a core each (the theory checks)' },
  wake: {
    type: 'string',
    value: 'ORDER',
    shown: 'lifo',
    description: `none: which idle worker the kernel wakes for a new connection: ${WAKE_ORDERS.join(', ')} (lifo as epoll does)`,
  },
  seed: { type: 'string', value: 'N', shown: 'random', description: 'seed of arrivals, service times and random picks' },
  like: {
    type: 'string',
    value: 'RUN',
    description:
      'calibrate from a measured open-loop run: its workers, rate, work, worker CPU per request and primary CPU per connection, cores; then measured and simulated side by side (--workers extrapolates at the same utilization)',
  },
  out: {
    type: 'string',
    value: 'DIR',
    description: 'write a result document (DIR/<run-id>/result.json): npm run report and compare read it',
  },
  json: { type: 'boolean', description: 'print the result document (JSON) on stdout' },
} as const satisfies Record<string, FlagDoc>;

const num = (flag: string, text: unknown, fallback: number, min: number, max: number): number => {
  if (text === undefined) return fallback;
  const v = Number(text);
  if (!(typeof text === 'string' && text.trim() !== '' && Number.isFinite(v) && v >= min && v <= max))
    throw new UsageError(`invalid --${flag} '${String(text)}': expected a number from ${min} to ${max}`);
  return v;
};

function checkedOut(dir: string): string {
  checkWritable(dir);
  return dir;
}

export const simulateCommand: Command<SimRequest> = {
  name: 'simulate',
  summary: 'cluster-sched-bench simulate: the same pickers at any worker count, in a seeded discrete-event simulation',
  notes: [
    "An open loop of fresh connections (Poisson arrivals), one request each, placed by the strategies' own pick() code\n" +
      "(rr: a model of core's round-robin handle), each worker serving its queue one request at a time. With every cost\n" +
      'at 0 (the default) the results are checked against queueing theory (docs/simulate.md); times are also shown in\n' +
      'units of the mean service time, beside the theory for the same load.',
  ],
  flags: FLAGS,
  examples: [
    'npm run simulate -- --workers 64 --utilization 90',
    'npm run simulate -- --policy rr,least-requests --workers 1024 --utilization 80 --primary-us 20 --report-us 500',
    'npm run simulate -- --ideal --workers 128 --utilization 90         # the theory checks: no cost anywhere',
  ],
  exitCodes: '0 ok, 2 bad usage.',
  parse(values) {
    const list = String(values.policy ?? SIMULATED.join(','))
      .split(',')
      .filter(Boolean);
    for (const p of list)
      if (!(SIMULATED as readonly string[]).includes(p))
        throw new UsageError(msg.policy(p, `${SIMULATED.join(', ')} (the simulator models these so far)`));
    const service = String(values.service ?? 'exp');
    if (service !== 'exp' && service !== 'fixed') throw new UsageError(`unknown --service '${service}' (valid: exp, fixed)`);
    const wake = String(values.wake ?? 'lifo');
    if (!(WAKE_ORDERS as readonly string[]).includes(wake))
      throw new UsageError(`unknown --wake '${wake}' (valid: ${WAKE_ORDERS.join(', ')})`);
    const ideal = values.ideal === true;
    for (const f of ['primary-us', 'ipc-us', 'report-us', 'cores'] as const)
      if (ideal && values[f] !== undefined) throw new UsageError(`--${f} does not go with --ideal (it turns every cost off)`);
    const like = values.like === undefined ? undefined : calibrationOf(String(values.like));
    if (like)
      for (const f of ['utilization', 'service-ms', 'service', 'primary-us', 'ideal'] as const)
        if (values[f] !== undefined) throw new UsageError(`--${f} does not go with --like (the measured run sets it)`);
    const workers = intFlag('workers', values.workers as string | undefined, like?.workers ?? 8, 1, 4096);
    let policies = list;
    if (like) {
      const measured = [...like.strategies.keys()].filter((n) => (SIMULATED as readonly string[]).includes(n));
      if (measured.length === 0)
        throw new UsageError(`invalid --like '${String(values.like)}': none of its strategies is modelled (${SIMULATED.join(', ')})`);
      policies = values.policy === undefined ? measured : list.filter((p) => measured.includes(p));
    }
    // Calibrated: the run sets the load and the work (each strategy's own costs are applied in run()); IPC and report delays default to guesses.
    return {
      policies: policies as SimRequest['policies'],
      workers,
      rho: like ? measuredUtilization(like) : num('utilization', values.utilization, 80, 1, 99) / 100,
      serviceMs: like ? like.serviceMs : num('service-ms', values['service-ms'], 1, 0.001, 10_000),
      service: like ? like.service : (service as 'exp' | 'fixed'),
      ...(like?.percent !== undefined && { percent: like.percent }),
      requests: intFlag('requests', values.requests as string | undefined, 200_000, 1000, 100_000_000),
      primaryMs: num('primary-us', values['primary-us'], 0, 0, 1e6) / 1000,
      ipcMs: num('ipc-us', values['ipc-us'], like ? 50 : 0, 0, 1e6) / 1000,
      reportMs: num('report-us', values['report-us'], like ? 200 : 0, 0, 1e6) / 1000,
      cores: ideal
        ? Number.POSITIVE_INFINITY
        : intFlag('cores', values.cores as string | undefined, like && workers === like.workers ? like.cores : workers + 1, 1, 65536),
      wake: wake as WakeOrder,
      seed: intFlag('seed', values.seed as string | undefined, newSeed(), 0, 2 ** 32 - 1),
      ...(values.out !== undefined && { out: checkedOut(String(values.out)) }),
      json: values.json === true,
      ...(like && { like }),
    };
  },
  async run(o, { err, out }) {
    const results: Array<{ strategy: string; result: SimResult; seconds: number }> = [];
    for (const name of o.policies) {
      const placement = placementOf(name, o.wake);
      if (placement === null) continue;
      const t0 = performance.now();
      const result = simulate({ ...o, ...calibrated(o, name), placement, warmup: Math.floor(o.requests / 10) });
      results.push({ strategy: name, result, seconds: (performance.now() - t0) / 1000 });
    }
    const u = (ms: number): string => (ms / meanService(o)).toFixed(3);
    err.write(
      `simulate: ${o.workers} workers at ${Math.round(o.rho * 100)}% load, ${o.service} service of ${o.serviceMs} ms, ` +
        `${o.requests} requests, seed ${o.seed}; primary ${o.primaryMs * 1000} µs/conn, IPC ${o.ipcMs * 1000} µs, reports ${o.reportMs * 1000} µs late, ` +
        `${Number.isFinite(o.cores) ? `${o.cores} cores` : 'a core each'}; none wakes ${o.wake}\n\n`,
    );
    err.write(
      `${alignedTable(
        ['strategy', 'Jain', 'top share', 'mean', 'p50', 'p99', 'p99.9', 'mean ms', 'p99 ms', 'M req/s simulated'],
        results.map(({ strategy, result: r, seconds }) => [
          strategy,
          jain(r.served).toFixed(4),
          `${((Math.max(...r.served) / r.requests) * 100).toFixed(2)}%`,
          u(r.meanMs),
          u(r.p50Ms),
          u(r.p99Ms),
          u(r.p999Ms),
          r.meanMs.toFixed(3),
          r.p99Ms.toFixed(3),
          (o.requests / seconds / 1e6).toFixed(2),
        ]),
      )
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n')}\n\n`,
    );
    if (o.like) err.write(`${likeTable(o, results)}\n\n`);
    if (o.service === 'exp' && !o.like)
      err.write(
        `  theory, mean response in service times at this load: M/M/1 (random) ${mm1Response(o.rho).toFixed(3)}, E_N/M/1 (round robin) ${ekm1Response(o.workers, o.rho).toFixed(3)}, ` +
          `supermarket d=2 (p2c, many workers) ${supermarketResponse(o.rho).toFixed(3)}, M/M/N (one central queue: the floor) ${mmnResponse(o.workers, o.rho).toFixed(3)}\n`,
      );
    if (o.out !== undefined || o.json) {
      const doc = resultOf(o, results, environment(REPO_DIR, `simulated ${o.workers} workers`));
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
