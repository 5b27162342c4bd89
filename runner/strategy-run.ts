// One strategy, end to end: fresh cluster -> rounds of load, each reconciled -> summary -> stop.
import type { MeasuredStrategy } from '../format/schema.js';
import { STRATEGIES, type StrategyName } from '../strategies/registry.js';
import { ClusterProcess } from './cluster/handle.js';
import { cpuUs } from './cluster/protocol.js';
import { listenDelta, readListenCounters } from './kernel.js';
import type { ClientPool } from './load/clients.js';
import { resolved } from './load/types.js';
import type { RunOptions } from './options.js';
import { localDriver, type Progress, runRounds } from './rounds.js';
import { summarize } from './summarize.js';
import { type RecordSink, Tally } from './tally.js';

export interface StrategyOutcome {
  result: MeasuredStrategy;
  /** process.version of the primary that served. */
  node: string;
}

/**
 * Every record is tallied as it arrives (tally.ts) and then handed to `raw` (the requests file),
 * never kept: memory stays flat in the length of the run.
 */
export async function runStrategy(
  name: StrategyName,
  opts: RunOptions,
  progress: Progress = () => {},
  raw?: RecordSink,
  /** Load-generator processes (--clients > 1); absent: this process generates the load. */
  pool?: ClientPool,
): Promise<StrategyOutcome> {
  const def = STRATEGIES[name];
  const cluster = await ClusterProcess.start({
    strategy: name,
    workers: opts.workers,
    server: opts.server,
    host: opts.host,
    port: opts.port,
    backlog: opts.backlog,
    seed: opts.seed,
    work: opts.work,
    instrument: true,
    ...(opts.node !== undefined && { execPath: opts.node }),
  });
  try {
    const target = await resolved({ host: opts.host, port: cluster.port });
    const workers = cluster.workers;
    const first = await cluster.snapshot();
    const clock = { origin: performance.now() };
    const tally = new Tally(workers, raw);
    const load = pool ? await pool.driver(opts, target, workers, clock, tally, raw) : localDriver(opts, target, clock, tally);
    const kernelBefore = readListenCounters();
    const cpu0 = process.cpuUsage();
    const { rounds, problems, last } = await runRounds(
      name,
      load,
      tally,
      () => workers,
      () => cluster.snapshot(),
      first,
      progress,
    );
    const prev = last ?? first;
    const { clientCpuMs } = await load.finish();
    const loadWallMs = performance.now() - clock.origin;
    const loadGenCpuUs = cpuUs(process.cpuUsage(cpu0));
    const kernel = listenDelta(kernelBefore, readListenCounters());
    for (const e of cluster.workerExits) problems.push(`worker ${e.pid} exited during the run (code ${e.code}, signal ${e.signal})`);
    if (prev.dispatch && prev.dispatch.dropped > 0)
      problems.push(`the dispatcher dropped ${prev.dispatch.dropped} connections no worker would take`);
    const result = summarize({
      name,
      kind: def.kind,
      description: def.description,
      workers,
      rounds,
      tally,
      problems,
      first,
      last: prev,
      loadGenCpuUs,
      loadWallMs,
      kernel,
      clientCpuMs,
    });
    return { result, node: cluster.node };
  } finally {
    await cluster.stop();
  }
}
