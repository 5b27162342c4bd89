// One strategy, end to end: fresh cluster -> rounds of load, each reconciled -> summary -> stop.

import { RunError } from '../format/errors.js';
import type { LatencyHistograms } from '../format/hlog.js';
import type { MeasuredStrategy } from '../format/schema.js';
import { STRATEGIES, type StrategyName } from '../strategies/registry.js';
import type { StrategyDef } from '../strategies/types.js';
import { ClusterProcess } from './cluster/handle.js';
import { primaryFdsPerConnection } from './cluster/kinds/index.js';
import { cpuUs, type Snapshot } from './cluster/protocol.js';
import { openFileLimit } from './env.js';
import { faultText, WorkerLog } from './faults.js';
import { listenDelta, readListenCounters } from './kernel.js';
import { FD_HEADROOM } from './limits.js';
import type { ClientPool } from './load/clients.js';
import { loadDef } from './load/index.js';
import { loopbackSources, PRIMARY_UNRESPONSIVE, RUN_DEADLINE, resolved } from './load/types.js';
import type { RunOptions } from './options.js';
import { incompleteText, localDriver, type Progress, runRounds } from './rounds.js';
import { summarize } from './summarize.js';
import { type RecordSink, Tally } from './tally.js';
import type { UserStrategyInfo } from './user-strategy.js';

export interface StrategyOutcome {
  result: MeasuredStrategy;
  /** process.version of the primary that served. */
  node: string;
  /** Its latency histograms, for latency.hlog. */
  latency: LatencyHistograms;
}

export interface StrategyHooks {
  progress?: Progress;
  /** Where each record goes once tallied (the requests file), if anywhere. */
  raw?: RecordSink;
  /** Load-generator processes (--clients > 1); absent: this process generates the load. */
  pool?: ClientPool;
  /** The run stopping (Ctrl-C): the round in flight ends early, the strategy is marked incomplete. */
  stop?: AbortSignal;
  /** Past this, the load is stopped (default: strategyDeadlineMs of the options). */
  deadlineMs?: number;
  /** The primary module to fork (an A/B run's baseline checkout); absent: this checkout's. */
  primaryModule?: string;
  /** Every LIVE_MS while the load runs: requests per worker in the round so far (a burst) or the last second (a timed load). */
  live?: (view: LiveView) => void;
}

/** What the live view shows of a strategy while its load runs. */
export interface LiveView {
  step: string;
  workers: Array<{ id: number; pid: number; count: number }>;
}

/** How often the live view is refreshed, ms. */
export const LIVE_MS = 250;

/** --fault reload's record: the hand-overs, the span, and latency inside and outside it. */
function reloadOf(log: WorkerLog, tally: Tally): NonNullable<MeasuredStrategy['reload']> {
  const r = log.reload;
  const w = tally.windowLatency();
  return {
    handovers: r.steps.map((s) => ({ oldPid: s.old, newPid: s.new, ms: s.ms })),
    fromMs: Math.max(0, r.fromMs),
    toMs: r.toMs,
    ...(r.refused !== undefined && { refused: r.refused }),
    inside: w?.inside ?? null,
    outside: w?.outside ?? null,
  };
}

/** Beyond its load's own deadlines, what a strategy may take for counter reads, settling and start-up. */
const SLACK_MS = 20_000;

/** The longest a strategy's load may take: every round at its deadline, plus slack. Past it, the load is stopped. */
export const strategyDeadlineMs = (o: RunOptions): number => loadDef(o).maxMs(o, o.roundTimeoutMs) + SLACK_MS;

/**
 * What the primary's own descriptors may have cost: accept errors by name (each a client's reset or
 * timeout, already among its errors), and a primary that holds descriptors for its connections
 * (the proxy) whose open-file limit cannot hold them all at once.
 */
function primaryWarnings(def: StrategyDef | UserStrategyInfo, o: RunOptions, acceptErrors: Record<string, number> | undefined): string[] {
  const out: string[] = [];
  const failed = Object.entries(acceptErrors ?? {});
  if (failed.length > 0)
    out.push(
      `the primary's accept failed on ${failed.map(([code, n]) => `${n} connections (${code})`).join(', ')}: those clients saw a reset or a timeout`,
    );
  const perConnection = def.kind === 'user' ? 0 : primaryFdsPerConnection(def);
  const limit = openFileLimit();
  const atOnce = loadDef(o).connectionsAtOnce(o);
  if (perConnection > 0 && limit !== null && atOnce !== null && atOnce * perConnection + FD_HEADROOM > limit)
    out.push(
      `its primary holds ${perConnection} descriptors per open connection: ${atOnce} at once would need about ${atOnce * perConnection + FD_HEADROOM}, the open-file limit is ${limit} (accept errors, if any, are counted above)`,
    );
  return out;
}

/**
 * Every record is tallied as it arrives (tally.ts) and then handed to `raw` (the requests file),
 * never kept: memory stays flat in the length of the run.
 */
export async function runStrategy(
  strategy: StrategyName | UserStrategyInfo,
  opts: RunOptions,
  hooks: StrategyHooks = {},
): Promise<StrategyOutcome> {
  const def = typeof strategy === 'string' ? STRATEGIES[strategy] : strategy;
  const name = def.name;
  const { raw, pool } = hooks;
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
    ...(opts.respawn && { respawn: true }),
    ...(def.kind === 'user' && { strategyFile: def.file }),
    ...(opts.app !== undefined && { app: opts.app.file }),
    ...(hooks.primaryModule !== undefined && { primaryModule: hooks.primaryModule }),
  });
  // A hung worker, a stuck primary: nothing may hold the run past this deadline.
  const deadline = new AbortController();
  const overdue = setTimeout(() => deadline.abort(RUN_DEADLINE), hooks.deadlineMs ?? strategyDeadlineMs(opts));
  const stop = hooks.stop ? AbortSignal.any([hooks.stop, deadline.signal]) : deadline.signal;
  const timers: NodeJS.Timeout[] = [];
  try {
    const sources = opts.clientAddrs === undefined ? undefined : loopbackSources(opts.clientAddrs);
    const target = { ...(await resolved({ host: opts.host, port: cluster.port })), ...(sources && { sources }) };
    const clock = { origin: performance.now() };
    const { fault } = opts;
    const log = new WorkerLog(
      clock.origin,
      (pid) => cluster.workers.find((w) => w.pid === pid)?.id ?? 0,
      fault === undefined ? '' : faultText(fault),
    );
    const tally = new Tally(cluster.workers, raw);
    const load = pool ? await pool.driver(opts, target, cluster.workers, clock, tally, raw) : localDriver(opts, target, clock, tally);
    cluster.onNews = (n) => {
      if (n.type === 'spawned') load.addWorker(n.worker); // before it can answer: the news leaves the primary at fork
      if (n.type === 'fault' && n.fault.kind === 'reload') tally.window(true);
      if (n.type === 'reload-done') tally.window(false);
      log.onNews(n);
    };
    if (fault?.kind === 'slow') {
      log.round = 1;
      cluster.fault(fault); // in effect before the first reading below: IPC keeps order
    }
    const first = await cluster.snapshot();
    // A primary that stops answering (its event loop stuck in a pick that never returns) ends this
    // strategy, not the run: that round is checked against what came back, and it is the last.
    let unresponsive: string | undefined;
    const read = async (): Promise<Snapshot | null> => {
      try {
        return await cluster.snapshot();
      } catch (err) {
        if (!(err instanceof RunError) || err.code !== 'TIMEOUT') throw err;
        unresponsive ??= `${err.message}: the strategy was stopped (its primary may be stuck in a pick that never returns)`;
        deadline.abort(PRIMARY_UNRESPONSIVE);
        return null;
      }
    };
    const kernelBefore = readListenCounters();
    const cpu0 = process.cpuUsage();
    const faultAtMs = loadDef(opts).faultAtMs(opts);
    let liveRound = 1;
    const live = hooks.live;
    const liveTimer =
      live &&
      setInterval(() => {
        const v = tally.live(liveRound);
        live({ step: v.step, workers: tally.workers.map((w, i) => ({ id: w.id, pid: w.pid, count: v.counts[i] ?? 0 })) });
      }, LIVE_MS);
    if (liveTimer) timers.push(liveTimer);
    const outcome = await runRounds({
      name,
      load,
      tally,
      workers: () => cluster.workers,
      read,
      first,
      progress: hooks.progress ?? (() => {}),
      stop,
      onRoundStart: (i) => {
        log.round = i;
        liveRound = i;
        if (fault === undefined || fault.kind === 'slow' || fault.round !== i) return;
        // A burst round: as its connections go out. A timed load (one round): halfway through.
        if (faultAtMs > 0) timers.push(setTimeout(() => cluster.fault(fault), faultAtMs));
        else cluster.fault(fault);
      },
      context: (i, snap) => {
        if (snap?.stale) log.stale(snap.stale);
        return log.context(i);
      },
    });
    if (liveTimer) clearInterval(liveTimer);
    const prev = outcome.last ?? first;
    const { clientCpuMs } = await load.finish();
    const loadWallMs = performance.now() - clock.origin;
    const loadGenCpuUs = cpuUs(process.cpuUsage(cpu0));
    const kernel = listenDelta(kernelBefore, readListenCounters());
    const problems = [...outcome.problems, ...log.problems, ...(unresponsive === undefined ? [] : [unresponsive])];
    if (prev.dispatch && prev.dispatch.dropped > 0)
      problems.push(`the dispatcher dropped ${prev.dispatch.dropped} connections no worker would take`);
    const failedPicks = prev.dispatch?.pickErrors ?? 0;
    if (failedPicks > 0)
      problems.push(
        `the strategy's pick failed ${failedPicks} times (first: ${prev.dispatch?.firstPickError}); those connections went round-robin`,
      );
    const result = summarize({
      name,
      kind: def.kind,
      description: def.description,
      workers: cluster.workers,
      rounds: outcome.rounds,
      tally,
      problems,
      first,
      last: prev,
      loadGenCpuUs,
      loadWallMs,
      kernel,
      clientCpuMs,
      explained: outcome.explained,
      workerEvents: log.events,
      ...(fault?.kind === 'reload' && { reload: reloadOf(log, tally) }),
      ...(sources && { sources }),
      incomplete:
        unresponsive === undefined
          ? incompleteText(outcome.rounds.length, load.rounds, outcome.stoppedIn, stop)
          : `its primary stopped answering in round ${outcome.rounds.length} of ${load.rounds}: that round is checked against what came back only, and the strategy was stopped`,
    });
    if (def.kind === 'user') result.source = { file: def.file, sha256: def.sha256 };
    result.warnings = [...(result.warnings ?? []), ...primaryWarnings(def, opts, prev.dispatch?.acceptErrors)];

    const endMs = Date.now();
    return { result, node: cluster.node, latency: { ...tally.histograms(), startMs: endMs - loadWallMs, endMs } };
  } finally {
    clearTimeout(overdue);
    for (const t of timers) clearTimeout(t);
    await cluster.stop();
  }
}
