// The primary: one fresh process per strategy (Node freezes the scheduling policy at the first
// fork). It forks the workers, arranges listening per the strategy, and answers the runner.
//
//   runner --start--> primary --fork--> workers --csb:ready--> primary --ready{port,pids}--> runner
//   runner --snapshot--> primary --csb:snapshot--> workers ... --snapshot{counts,cpu}--> runner
//   runner --shutdown--> primary --csb:close--> workers (deadline, then SIGKILL) --> exit
//   runner --fault--> primary --csb:fault--> the first live worker; --fault-applied--> runner
//   a worker exits unasked --worker-exit--> runner; with --respawn a replacement --worker-spawned-->
import { fork } from 'node:child_process';
import cluster from 'node:cluster';
import type { Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { STRATEGIES, type StrategyName } from '../../strategies/registry.js';
import { seededRng } from '../../strategies/rng.js';
import { isDispatched, type StrategyDef } from '../../strategies/types.js';
import { importUserStrategy } from '../user-strategy.js';
import type { Closable, Dispatcher } from './dispatch.js';
import { addPeer, listenDispatch } from './dispatch-primary.js';
import { freePort, MODES, PlainWorker, shareHandle, type Worker } from './listening.js';
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
import { listenProxy, type ProxyStats } from './proxy.js';

const WORKER_EXIT_DEADLINE_MS = 3000;
const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

// A peer that is exiting can close IPC under a send (EPIPE): its exit is handled elsewhere, so the
// error is ignored rather than crashing this process as an unhandled 'error' event.
const ignore = (err: Error | null): void => void err;
const toRunner = (m: PrimaryToRunner): void => void process.send?.(m, undefined, undefined, ignore);
const toWorker = (w: Worker, m: PrimaryToWorker): void => void (w.isConnected() && w.send(m, ignore));

let workers: Worker[] = [];
let acceptor: Server | undefined;
let dispatcher: Dispatcher<Closable> | undefined;
let stopping = false;
let cluster0: { config: ClusterConfig; mode: WorkerConfig['mode']; reportCloses: boolean; reportRequests: boolean } | undefined;
/** proxy: each worker's own port, once it is ready. */
const ownPorts = new Map<Worker, number>();
const snapshotWaiters = new Map<number, { asked: Worker[]; counts: Map<number, WorkerCounts>; done: () => void }>();
/**
 * Workers that said ready. One still booting (a replacement) is not asked for counts: a message
 * sent before its handler exists is lost, and it has served nothing yet (it takes no connection
 * before it is ready).
 */
const ready = new Set<Worker>();
/** The workers a counter read waits for: alive and ready. */
const answering = (): Worker[] => workers.filter((w) => !w.isDead() && ready.has(w));
/** A worker that has not answered a counter read within this long is read from its last counts (a hang must not hang the run). */
const SNAPSHOT_WORKER_DEADLINE_MS = 2000;

function forkWorker(): Worker {
  if (!cluster0) throw new Error('no cluster started');
  const { config, mode, reportCloses, reportRequests } = cluster0;
  const wc: WorkerConfig = { ...config, mode, reportCloses, reportRequests };
  const env = { [WORKER_ENV]: JSON.stringify(wc) };
  // shared-handle runs without the cluster module: plain child processes.
  const w: Worker =
    mode === 'handle'
      ? new PlainWorker(fork(WORKER_FILE, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }))
      : cluster.fork(env);
  // cluster's own messages to a worker carry no callback: an exiting worker's EPIPE arrives as
  // 'error' on the Worker, and unheard it would crash the primary. Its exit is reported anyway.
  w.on('error', (err: NodeJS.ErrnoException) => {
    if (!stopping && !IPC_GONE.has(err.code ?? '')) toRunner({ type: 'fatal', message: `worker ${w.process.pid}: ${err.message}` });
  });
  w.on('message', (m: WorkerToPrimary) => {
    if (m?.type === 'csb:snapshot') collect(w, m.id, m.counts);
    else if (m?.type === 'csb:final') lastCounts.set(w.id, { id: w.id, ...m.counts });
    else if (m?.type === 'csb:leaving') leaving(w);
  });
  w.on('exit', (code, signal) => {
    if (!stopping) {
      toRunner({ type: 'worker-exit', pid: w.process.pid ?? 0, code, signal });
      if (config.respawn) respawn(w);
    }
    settleSnapshots();
  });
  return w;
}

/** A worker going away gracefully (exit fault): userland dispatch stops picking it now. */
function leaving(w: Worker): void {
  const i = workers.indexOf(w);
  if (dispatcher && i >= 0) dispatcher.retire(i);
}

/** --respawn: a replacement, as production clusters fork one on 'exit'. The runner hears of it before it can serve. */
function respawn(dead: Worker): void {
  // shared-handle: the primary let go of the listening socket once its children had it; nothing to hand a replacement.
  if (cluster0?.mode === 'handle') return;
  const w = forkWorker();
  workers.push(w);
  toRunner({ type: 'worker-spawned', worker: { id: w.id, pid: w.process.pid ?? 0 }, replaces: dead.process.pid ?? 0 });
  onceReady(w).then(
    (port) => {
      // Native: it listens itself (cluster adds it to the shared handle). Userland: the dispatcher adds it. Proxy: its port joins.
      if (dispatcher) addPeer(dispatcher, { id: w.id, proc: w.process });
      if (cluster0?.mode === 'own-port') ownPorts.set(w, port);
    },
    (err: Error) => toRunner({ type: 'fatal', message: `replacement ${err.message}` }),
  );
}

function forkWorkers(config: ClusterConfig, mode: WorkerConfig['mode'], reportCloses: boolean, reportRequests: boolean): Worker[] {
  cluster0 = { config, mode, reportCloses, reportRequests };
  cluster.setupPrimary({ exec: WORKER_FILE, silent: false });
  return Array.from({ length: config.workers }, forkWorker);
}

function onceReady(w: Worker, type: 'csb:ready' | 'csb:booted' = 'csb:ready'): Promise<number> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: WorkerToPrimary): void => {
      if (m?.type === 'csb:booted' && type === 'csb:booted') resolve(0);
      else if (m?.type === 'csb:ready' && type === 'csb:ready') {
        ready.add(w);
        resolve(m.port);
      } else if (m?.type === 'csb:fatal') reject(new Error(`worker ${w.process.pid}: ${m.message}`));
      else return;
      w.off('message', onMsg); // not left on the per-connection message path
    };
    w.on('message', onMsg);
    w.once('exit', (code, signal) => reject(new Error(`worker ${w.process.pid} exited before ready (code ${code}, signal ${signal})`)));
  });
}

async function start(config: ClusterConfig): Promise<void> {
  const def: StrategyDef =
    config.strategyFile !== undefined ? await importUserStrategy(config.strategyFile) : STRATEGIES[config.strategy as StrategyName];
  // Frozen at the first fork: set before forking (dispatch workers never listen, so any policy works).
  cluster.schedulingPolicy = def.kind === 'native' && def.policy === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE;
  // reuseport: every worker binds the same port itself, so it must be known before they start.
  if (def.kind === 'kernel' && config.port === 0) config = { ...config, port: await freePort(config.host) };
  workers = forkWorkers(
    config,
    MODES[def.kind],
    isDispatched(def) && def.needsCloses,
    def.kind === 'dispatch' && def.needsRequests === true,
  );
  let port: number;
  if (def.kind === 'handle') port = await shareHandle(workers, config, onceReady);
  else {
    const ports = await Promise.all(workers.map((w) => onceReady(w)));
    port = ports[0];
    if (def.kind === 'proxy') {
      for (const [i, w] of workers.entries()) ownPorts.set(w, ports[i]);
      const upstreams = (): Array<{ port: number; alive: () => boolean }> =>
        [...ownPorts].map(([w, p]) => ({ port: p, alive: () => !w.isDead() }));
      const l = await listenProxy(upstreams, config);
      ({ server: acceptor, port } = l);
      proxyStats = l.stats;
    }
  }
  if (isDispatched(def)) {
    const l = await listenDispatch(
      workers.map((w) => ({ id: w.id, proc: w.process })),
      def.createPicker(),
      seededRng(config.seed),
      config,
      def.kind === 'dispatch' && def.needsAddress === true,
    );
    ({ dispatcher, server: acceptor, port } = l);
  }
  toRunner({ type: 'ready', port, workers: workers.map((w) => ({ id: w.id, pid: w.process.pid ?? 0 })), node: process.version });
}

let proxyStats: ProxyStats | undefined;

/** The fault goes to the first worker still alive (worker 1 unless it is gone). */
function injectFault(fault: Fault): void {
  const w = workers.find((x) => !x.isDead() && x.isConnected());
  if (w) toWorker(w, { type: 'csb:fault', fault });
  toRunner({ type: 'fault-applied', fault, worker: w ? { id: w.id, pid: w.process.pid ?? 0 } : null });
}

/** Last counts each worker reported: a worker that died still counts what it served before. */
const lastCounts = new Map<number, WorkerCounts>();

function collect(w: Worker, id: number, counts: Omit<WorkerCounts, 'id'>): void {
  const c = { id: w.id, ...counts };
  lastCounts.set(w.id, c);
  snapshotWaiters.get(id)?.counts.set(w.id, c);
  settleSnapshots();
}

/** Answer every snapshot that every live worker has answered (also after a worker dies). */
function settleSnapshots(): void {
  for (const waiter of [...snapshotWaiters.values()]) if (waiter.asked.every((w) => w.isDead() || waiter.counts.has(w.id))) waiter.done();
}

function snapshot(id: number): void {
  const counts = new Map<number, WorkerCounts>();
  const asked = answering();
  let answered = false;
  const reply = (): void => {
    if (answered) return;
    answered = true;
    clearTimeout(deadline);
    snapshotWaiters.delete(id);
    const stale = asked.filter((w) => !w.isDead() && !counts.has(w.id)).map((w) => w.process.pid ?? 0);
    const snap: Snapshot = {
      workers: workers.map(
        (w) => counts.get(w.id) ?? lastCounts.get(w.id) ?? { id: w.id, pid: w.process.pid ?? 0, requests: 0, connections: 0, cpuUs: 0 },
      ),
      ...(stale.length > 0 && { stale }),
      primaryCpuUs: cpuUs(),
      dispatch: dispatcher ? { ...dispatcher.stats } : proxyStats && { dispatched: proxyStats.proxied, refused: 0, dropped: 0 },
    };
    toRunner({ type: 'snapshot', id, snapshot: snap });
  };
  // A worker whose event loop is stuck never answers: its last counts stand in, and it is named.
  const deadline = setTimeout(reply, SNAPSHOT_WORKER_DEADLINE_MS);
  snapshotWaiters.set(id, { asked, counts, done: reply });
  if (asked.length === 0) reply();
  for (const w of asked) toWorker(w, { type: 'csb:snapshot', id });
}

/** Orderly: stop accepting, ask workers to close, SIGKILL what is left at the deadline, exit. */
async function shutdown(code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  acceptor?.close();
  const exits = workers.filter((w) => !w.isDead()).map((w) => new Promise<void>((r) => w.once('exit', () => r())));
  for (const w of workers) toWorker(w, { type: 'csb:close' });
  const timer = setTimeout(() => {
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL');
  }, WORKER_EXIT_DEADLINE_MS);
  await Promise.all(exits);
  clearTimeout(timer);
  process.exit(code);
}

process.on('message', (m: RunnerToPrimary) => {
  if (m.type === 'start') {
    start(m.config).catch((err: Error) => {
      toRunner({ type: 'fatal', message: err.message });
      void shutdown(1);
    });
  } else if (m.type === 'snapshot') snapshot(m.id);
  else if (m.type === 'instrument') for (const w of workers) toWorker(w, { type: 'csb:instrument', on: m.on });
  else if (m.type === 'fault') injectFault(m.fault);
  else if (m.type === 'shutdown') void shutdown(0);
});
// The runner is gone (crashed, killed): never outlive it.
process.on('disconnect', () => void shutdown(0));
// Ctrl-C (or SIGTERM to the whole group) reaches us too: the runner, still there, takes a last
// reading of the counters and then asks us to shut down. Without a runner, go at once.
const onSignal = (): void => {
  if (!process.connected) void shutdown(0);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
