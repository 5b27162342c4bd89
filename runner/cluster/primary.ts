// The primary: one fresh process per strategy (Node freezes the scheduling policy at the first
// fork). It forks the workers and answers the runner; how the workers take connections (the
// scheduling policy, how they are forked, who listens, who places a connection) is the strategy
// kind's primary side (kinds/), picked once at start: nothing here asks which kind it is.
//
//   runner --start--> primary --fork--> workers --csb:ready--> primary --ready{port,pids}--> runner
//   runner --snapshot--> primary --csb:snapshot--> workers ... --snapshot{counts,cpu}--> runner
//   runner --shutdown--> primary --csb:close--> workers (deadline, then SIGKILL) --> exit
//   runner --fault--> primary --csb:fault--> the first live worker; --fault-applied--> runner
//   a worker exits unasked --worker-exit--> runner; with --respawn a replacement --worker-spawned-->
import cluster from 'node:cluster';
import { STRATEGIES, type StrategyName } from '../../strategies/registry.js';
import type { StrategyDef } from '../../strategies/types.js';
import { importUserStrategy } from '../user-strategy.js';
import { clusterFork, WORKER_FILE, type Worker } from './forks.js';
import { primarySide } from './kinds/index.js';
import type { PrimarySide } from './kinds/kind.js';
import {
  type ClusterConfig,
  cpuUs,
  type Fault,
  IPC_GONE,
  type PrimaryToRunner,
  type PrimaryToWorker,
  type RunnerToPrimary,
  type Snapshot,
  WORKER_ENV,
  type WorkerConfig,
  type WorkerCounts,
  type WorkerToPrimary,
} from './protocol.js';

const WORKER_EXIT_DEADLINE_MS = 3000;
/** A worker that has not answered a counter read within this long is read from its last counts (a hang must not hang the run). */
const SNAPSHOT_WORKER_DEADLINE_MS = 2000;

// A peer that is exiting can close IPC under a send (EPIPE): its exit is handled elsewhere, so the
// error is ignored rather than crashing this process as an unhandled 'error' event.
const ignore = (err: Error | null): void => void err;
const toRunner = (m: PrimaryToRunner): void => void process.send?.(m, undefined, undefined, ignore);
const toWorker = (w: Worker, m: PrimaryToWorker): void => void (w.isConnected() && w.send(m, ignore));

interface SnapshotWaiter {
  asked: Worker[];
  counts: Map<number, WorkerCounts>;
  done: () => void;
}

/** One cluster: its workers, its kind's primary side, and the counter reads in flight. */
class Primary {
  private workers: Worker[] = [];
  private side: PrimarySide | undefined;
  /** Forks one more worker the way the first ones were (a --respawn replacement). */
  private forkOne: (() => Worker) | undefined;
  private stopping = false;
  /**
   * Workers that said ready. One still booting (a replacement) is not asked for counts: a message
   * sent before its handler exists is lost, and it has served nothing yet (it takes no connection
   * before it is ready).
   */
  private readonly ready = new Set<Worker>();
  /** Last counts each worker reported: a worker that died still counts what it served before. */
  private readonly lastCounts = new Map<number, WorkerCounts>();
  private readonly snapshotWaiters = new Map<number, SnapshotWaiter>();

  async start(config: ClusterConfig): Promise<void> {
    const def: StrategyDef =
      config.strategyFile !== undefined ? await importUserStrategy(config.strategyFile) : STRATEGIES[config.strategy as StrategyName];
    const side = await primarySide(def.kind, def, config);
    this.side = side;
    // Frozen at the first fork: set before forking.
    cluster.schedulingPolicy = side.policy ?? cluster.SCHED_NONE;
    cluster.setupPrimary({ exec: WORKER_FILE, silent: false });
    const wc: WorkerConfig = { ...config, port: side.port ?? config.port, kind: def.kind, options: side.options };
    const env = { [WORKER_ENV]: JSON.stringify(wc) };
    const fork = side.fork ?? clusterFork;
    this.forkOne = () => this.watch(fork(env), config.respawn === true);
    this.workers = Array.from({ length: config.workers }, this.forkOne);
    const port = await side.listen(this.workers, this.onceReady);
    toRunner({ type: 'ready', port, workers: this.workers.map((w) => ({ id: w.id, pid: w.process.pid ?? 0 })), node: process.version });
  }

  /** A new worker's messages, errors and exit. */
  private watch(w: Worker, respawn: boolean): Worker {
    // cluster's own messages to a worker carry no callback: an exiting worker's EPIPE arrives as
    // 'error' on the Worker, and unheard it would crash the primary. Its exit is reported anyway.
    w.on('error', (err: NodeJS.ErrnoException) => {
      if (!this.stopping && !IPC_GONE.has(err.code ?? '')) toRunner({ type: 'fatal', message: `worker ${w.process.pid}: ${err.message}` });
    });
    w.on('message', (m: WorkerToPrimary) => {
      if (m?.type === 'csb:snapshot') this.collect(w, m.id, m.counts);
      else if (m?.type === 'csb:final') this.lastCounts.set(w.id, { id: w.id, ...m.counts });
      // Going away gracefully (exit fault): nothing more is placed on it from now.
      else if (m?.type === 'csb:leaving') this.side?.remove?.(w);
    });
    w.on('exit', (code: number | null, signal: string | null) => {
      if (!this.stopping) {
        toRunner({ type: 'worker-exit', pid: w.process.pid ?? 0, code, signal });
        if (respawn && !this.retiring.has(w)) this.respawn(w);
      }
      this.settleSnapshots();
    });
    return w;
  }

  /** --respawn: a replacement, as production clusters fork one on 'exit'. The runner hears of it before it can serve. */
  private respawn(dead: Worker): void {
    const side = this.side;
    if (!side?.canAdd || !this.forkOne) return;
    const w = this.forkOne();
    this.workers.push(w);
    toRunner({ type: 'worker-spawned', worker: { id: w.id, pid: w.process.pid ?? 0 }, replaces: dead.process.pid ?? 0 });
    this.onceReady(w).then(
      (port) => side.add?.(w, port),
      (err: Error) => toRunner({ type: 'fatal', message: `replacement ${err.message}` }),
    );
  }

  private readonly onceReady = (w: Worker, type: 'csb:ready' | 'csb:booted' = 'csb:ready'): Promise<number> =>
    new Promise((resolve, reject) => {
      const onMsg = (m: WorkerToPrimary): void => {
        if (m?.type === 'csb:booted' && type === 'csb:booted') resolve(0);
        else if (m?.type === 'csb:ready' && type === 'csb:ready') {
          this.ready.add(w);
          resolve(m.port);
        } else if (m?.type === 'csb:fatal') reject(new Error(`worker ${w.process.pid}: ${m.message}`));
        else return;
        w.off('message', onMsg); // not left on the per-connection message path
      };
      w.on('message', onMsg);
      w.once('exit', (code, signal) => reject(new Error(`worker ${w.process.pid} exited before ready (code ${code}, signal ${signal})`)));
    });

  /** Pid header and counters on or off in every worker. */
  instrument(on: boolean): void {
    for (const w of this.workers) toWorker(w, { type: 'csb:instrument', on });
  }

  /** The fault goes to the first worker still alive (worker 1 unless it is gone). */
  injectFault(fault: Fault): void {
    if (fault.kind === 'reload') {
      void this.reload(fault);
      return;
    }
    const w = this.workers.find((x) => !x.isDead() && x.isConnected());
    if (w) toWorker(w, { type: 'csb:fault', fault });
    toRunner({ type: 'fault-applied', fault, worker: w ? { id: w.id, pid: w.process.pid ?? 0 } : null });
  }

  /** Workers a reload is retiring: their exit is asked for, so no --respawn replacement. */
  private readonly retiring = new Set<Worker>();

  /**
   * A rolling restart, as `pm2 reload` and deploys do it: for each worker in turn, fork its
   * replacement, wait until it is ready and taking connections, then ask the old one to leave
   * gracefully (it stops taking connections, finishes those open, exits) and wait for its exit.
   */
  private async reload(fault: Fault): Promise<void> {
    const side = this.side;
    const first = this.workers.find((x) => !x.isDead() && x.isConnected());
    toRunner({ type: 'fault-applied', fault, worker: first ? { id: first.id, pid: first.process.pid ?? 0 } : null });
    const t0 = Date.now();
    if (!side?.canAdd || !this.forkOne) {
      toRunner({ type: 'reload-done', ms: 0, refused: 'this kind cannot add a worker to a running cluster, so it cannot be reloaded' });
      return;
    }
    for (const old of this.workers.filter((x) => !x.isDead() && x.isConnected())) {
      if (this.stopping) return;
      const t = Date.now();
      this.retiring.add(old);
      const fresh = this.forkOne();
      this.workers.push(fresh);
      toRunner({ type: 'worker-spawned', worker: { id: fresh.id, pid: fresh.process.pid ?? 0 }, replaces: old.process.pid ?? 0 });
      try {
        // Awaited apart: `side.add?.(fresh, await ...)` would skip the await where a kind has no add (native).
        const port = await this.onceReady(fresh);
        side.add?.(fresh, port);
      } catch (err) {
        toRunner({ type: 'fatal', message: `reload: the replacement of worker ${old.process.pid}: ${(err as Error).message}` });
        return;
      }
      const gone = new Promise<void>((resolve) => (old.isDead() ? resolve() : old.once('exit', () => resolve())));
      toWorker(old, { type: 'csb:fault', fault: { kind: 'exit', round: fault.kind === 'reload' ? fault.round : 0 } });
      await gone;
      toRunner({
        type: 'reload-step',
        old: { id: old.id, pid: old.process.pid ?? 0 },
        new: { id: fresh.id, pid: fresh.process.pid ?? 0 },
        ms: Date.now() - t,
      });
    }
    toRunner({ type: 'reload-done', ms: Date.now() - t0 });
  }

  private collect(w: Worker, id: number, counts: Omit<WorkerCounts, 'id'>): void {
    const c = { id: w.id, ...counts };
    this.lastCounts.set(w.id, c);
    this.snapshotWaiters.get(id)?.counts.set(w.id, c);
    this.settleSnapshots();
  }

  /** Answer every snapshot that every live worker has answered (also after a worker dies). */
  private settleSnapshots(): void {
    for (const waiter of [...this.snapshotWaiters.values()])
      if (waiter.asked.every((w) => w.isDead() || waiter.counts.has(w.id))) waiter.done();
  }

  snapshot(id: number): void {
    const counts = new Map<number, WorkerCounts>();
    // The workers a counter read waits for: alive and ready.
    const asked = this.workers.filter((w) => !w.isDead() && this.ready.has(w));
    let answered = false;
    const reply = (): void => {
      if (answered) return;
      answered = true;
      clearTimeout(deadline);
      this.snapshotWaiters.delete(id);
      const stale = asked.filter((w) => !w.isDead() && !counts.has(w.id)).map((w) => w.process.pid ?? 0);
      const snap: Snapshot = {
        workers: this.workers.map(
          (w) =>
            counts.get(w.id) ?? this.lastCounts.get(w.id) ?? { id: w.id, pid: w.process.pid ?? 0, requests: 0, connections: 0, cpuUs: 0 },
        ),
        ...(stale.length > 0 && { stale }),
        primaryCpuUs: cpuUs(),
        dispatch: this.side?.stats?.(),
      };
      toRunner({ type: 'snapshot', id, snapshot: snap });
    };
    // A worker whose event loop is stuck never answers: its last counts stand in, and it is named.
    const deadline = setTimeout(reply, SNAPSHOT_WORKER_DEADLINE_MS);
    this.snapshotWaiters.set(id, { asked, counts, done: reply });
    if (asked.length === 0) reply();
    for (const w of asked) toWorker(w, { type: 'csb:snapshot', id });
  }

  /** Orderly: stop accepting, ask workers to close, SIGKILL what is left at the deadline, exit. */
  async shutdown(code = 0): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.side?.close?.();
    const exits = this.workers.filter((w) => !w.isDead()).map((w) => new Promise<void>((r) => w.once('exit', () => r())));
    for (const w of this.workers) toWorker(w, { type: 'csb:close' });
    const timer = setTimeout(() => {
      for (const w of this.workers) if (!w.isDead()) w.process.kill('SIGKILL');
    }, WORKER_EXIT_DEADLINE_MS);
    await Promise.all(exits);
    clearTimeout(timer);
    process.exit(code);
  }
}

const primary = new Primary();
process.on('message', (m: RunnerToPrimary) => {
  if (m.type === 'start') {
    primary.start(m.config).catch((err: Error) => {
      toRunner({ type: 'fatal', message: err.message });
      void primary.shutdown(1);
    });
  } else if (m.type === 'snapshot') primary.snapshot(m.id);
  else if (m.type === 'instrument') primary.instrument(m.on);
  else if (m.type === 'fault') primary.injectFault(m.fault);
  else if (m.type === 'shutdown') void primary.shutdown(0);
});
// The runner is gone (crashed, killed): never outlive it.
process.on('disconnect', () => void primary.shutdown(0));
// Ctrl-C (or SIGTERM to the whole group) reaches us too: the runner, still there, takes a last
// reading of the counters and then asks us to shut down. Without a runner, go at once.
const onSignal = (): void => {
  if (!process.connected) void primary.shutdown(0);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
