// Messages between the runner and a primary (child_process IPC), and between the primary and its
// workers (cluster IPC; plain child_process IPC for shared-handle). Our messages are tagged `csb:`
// so they never collide with Node's own. How a worker takes connections is its kind's
// (kinds/): the worker is told the kind, and whatever that kind's primary side adds.

import type { ServerName } from '../../servers/registry.js';
import type { LatencyCounts } from '../../servers/types.js';
import type { WorkProfile } from '../../servers/work.js';
import type { StrategyName } from '../../strategies/registry.js';
import type { StrategyDef } from '../../strategies/types.js';
import type { DispatchStats, WorkerReply } from './dispatch.js';

/**
 * The runner-primary protocol's version. A/B runs against another checkout (--baseline-checkout)
 * drive that checkout's primary with this runner: both must speak the same one.
 */
export const PROTOCOL_VERSION = 1;

/** Everything a primary needs to build its cluster. Sent by the runner as the first message. */
export interface ClusterConfig {
  /** A built-in strategy's name, or a user strategy's (then `strategyFile` says where it is). */
  strategy: StrategyName | (string & {});
  /** A user strategy (--strategy-file): the module the primary loads its picker from. */
  strategyFile?: string;
  /** --app: the module each worker serves instead of the built-in app (servers/app.ts). */
  app?: string;
  /** Workers time every response (serve --stats: GET /metrics). */
  latency?: boolean;
  workers: number;
  server: ServerName;
  host: string;
  port: number;
  backlog: number;
  seed: number;
  /** The work each request costs (parsed once, by the command). */
  work: WorkProfile;
  /** false turns off the pid header and counters (harness overhead measurement only). */
  instrument: boolean;
  /** The Node binary of the primary and its workers (--node); absent: the runner's own. */
  execPath?: string;
  /** --respawn: fork a replacement when a worker dies (not while shutting down). */
  respawn?: boolean;
  /** The primary module to fork (--baseline-checkout: that checkout's); absent: this one's. Runner side only. */
  primaryModule?: string;
}

/**
 * A worker fault (--fault), applied to one worker: the first one still alive.
 *   kill: it reports its counters and SIGKILLs itself (to its sockets, the same as kill -9)
 *   hang: it keeps taking connections and requests (and counting them) but answers none
 *   slow: it answers every request `ms` later
 *   exit: graceful: it stops taking connections, finishes what it has, reports and exits 0
 */
export type Fault =
  | { kind: 'kill'; round: number }
  | { kind: 'hang'; round: number }
  | { kind: 'exit'; round: number }
  | { kind: 'slow'; ms: number }
  /** A rolling restart (the primary's, not one worker's): each worker in turn replaced by a new one, forked and ready first, then the old one leaves gracefully. */
  | { kind: 'reload'; round: number };

/** What a worker is told, in its environment (CSB_WORKER). */
export interface WorkerConfig extends Omit<ClusterConfig, 'strategy' | 'workers'> {
  /** Its strategy's kind: that kind's worker side (kinds/index.ts) takes the connections. */
  kind: StrategyDef['kind'];
  /** What that kind's primary side tells its workers (dispatch: the reports its picker reads); absent for most. */
  options?: unknown;
}

export interface WorkerCounts {
  id: number;
  pid: number;
  requests: number;
  connections: number;
  /** process.cpuUsage() user + system, microseconds, cumulative. */
  cpuUs: number;
  /** serve --stats: its response times (servers/types.ts). */
  latency?: LatencyCounts;
}

export interface Snapshot {
  workers: WorkerCounts[];
  /** Workers that did not answer this read in time: their last counts stand in. */
  stale?: number[];
  primaryCpuUs: number;
  /** Connections the primary placed (userland dispatch; proxy: those piped): handed out, refused by a worker, dropped; picks that failed. */
  dispatch?: DispatchStats;
}

export type RunnerToPrimary =
  | { type: 'start'; config: ClusterConfig }
  | { type: 'snapshot'; id: number }
  /** Pid header and counters on/off in every worker (perf:overhead); a snapshot after it is the barrier. */
  | { type: 'instrument'; on: boolean }
  | { type: 'fault'; fault: Fault }
  | { type: 'shutdown' };

export type PrimaryToRunner =
  | { type: 'ready'; port: number; workers: Array<{ id: number; pid: number }>; node: string }
  | { type: 'snapshot'; id: number; snapshot: Snapshot }
  | { type: 'worker-exit'; pid: number; code: number | null; signal: string | null }
  /** The fault went to this worker (or to none: every worker was gone). */
  | { type: 'fault-applied'; fault: Fault; worker: { id: number; pid: number } | null }
  /** A replacement was forked (--respawn); sent at fork, before it can take a connection. */
  | { type: 'worker-spawned'; worker: { id: number; pid: number }; replaces: number }
  /** --fault reload: one worker replaced (the new one ready, the old one gone), and how long it took. */
  | { type: 'reload-step'; old: { id: number; pid: number }; new: { id: number; pid: number }; ms: number }
  /** --fault reload: every worker replaced, or why not (a kind that cannot add workers). */
  | { type: 'reload-done'; ms: number; refused?: string }
  | { type: 'fatal'; message: string };

export type PrimaryToWorker =
  | { type: 'csb:snapshot'; id: number }
  | { type: 'csb:close' }
  | { type: 'csb:instrument'; on: boolean }
  | { type: 'csb:fault'; fault: Fault }
  /** shared-handle: the listening server comes with this message; listen on it. */
  | { type: 'csb:listen' };

export type WorkerToPrimary =
  | WorkerReply
  | { type: 'csb:ready'; port: number }
  /** shared-handle: up, waiting for the listening server (csb:listen). */
  | { type: 'csb:booted' }
  | { type: 'csb:snapshot'; id: number; counts: Omit<WorkerCounts, 'id'> }
  | { type: 'csb:fatal'; message: string }
  /** Its last counts, sent just before it exits (a fault: kill, exit): they outlive it. */
  | { type: 'csb:final'; counts: Omit<WorkerCounts, 'id'> }
  /** It stops taking connections (exit fault): pick another. */
  | { type: 'csb:leaving' };

export const WORKER_ENV = 'CSB_WORKER';

/** IPC errors that only mean the peer is going away (its exit or disconnect is handled elsewhere). */
export const IPC_GONE: ReadonlySet<string> = new Set(['EPIPE', 'ECONNRESET', 'ERR_IPC_CHANNEL_CLOSED']);

export const cpuUs = (u: NodeJS.CpuUsage = process.cpuUsage()): number => u.user + u.system;
