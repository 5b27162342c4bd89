// Messages between the runner and a primary (child_process IPC), and between the primary and its
// workers (cluster IPC). Our messages are tagged `csb:` so they never collide with Node's own.

import type { ServerName } from '../../servers/registry.js';
import type { StrategyName } from '../../strategies/registry.js';
import type { WorkerReply } from './dispatch.js';

/** Everything a primary needs to build its cluster. Sent by the runner as the first message. */
export interface ClusterConfig {
  strategy: StrategyName;
  workers: number;
  server: ServerName;
  host: string;
  port: number;
  backlog: number;
  seed: number;
  /** Work profile text (`hello`, `cpu:5`, ...). */
  work: string;
  /** false turns off the pid header and counters (harness overhead measurement only). */
  instrument: boolean;
  /** The Node binary of the primary and its workers (--node); absent: the runner's own. */
  execPath?: string;
}

/** What a worker is told, in its environment (CSB_WORKER). */
export interface WorkerConfig extends Omit<ClusterConfig, 'strategy' | 'workers'> {
  /** listen: the worker listens itself (native); dispatch: connections arrive over IPC. */
  mode: 'listen' | 'dispatch';
  /** dispatch only: tell the primary when connections close (the strategy's picker reads them). */
  reportCloses: boolean;
}

export interface WorkerCounts {
  id: number;
  pid: number;
  requests: number;
  connections: number;
  /** process.cpuUsage() user + system, microseconds, cumulative. */
  cpuUs: number;
}

export interface Snapshot {
  workers: WorkerCounts[];
  primaryCpuUs: number;
  /** Userland dispatch only: connections handed out, refused by a worker, dropped. */
  dispatch?: { dispatched: number; refused: number; dropped: number };
}

export type RunnerToPrimary =
  | { type: 'start'; config: ClusterConfig }
  | { type: 'snapshot'; id: number }
  /** Pid header and counters on/off in every worker (bench:overhead); a snapshot after it is the barrier. */
  | { type: 'instrument'; on: boolean }
  | { type: 'shutdown' };

export type PrimaryToRunner =
  | { type: 'ready'; port: number; workers: Array<{ id: number; pid: number }>; node: string }
  | { type: 'snapshot'; id: number; snapshot: Snapshot }
  | { type: 'worker-exit'; pid: number; code: number | null; signal: string | null }
  | { type: 'fatal'; message: string };

export type PrimaryToWorker = { type: 'csb:snapshot'; id: number } | { type: 'csb:close' } | { type: 'csb:instrument'; on: boolean };

export type WorkerToPrimary =
  | WorkerReply
  | { type: 'csb:ready'; port: number }
  | { type: 'csb:snapshot'; id: number; counts: Omit<WorkerCounts, 'id'> }
  | { type: 'csb:fatal'; message: string };

export const WORKER_ENV = 'CSB_WORKER';

/** IPC errors that only mean the peer is going away (its exit or disconnect is handled elsewhere). */
export const IPC_GONE: ReadonlySet<string> = new Set(['EPIPE', 'ECONNRESET', 'ERR_IPC_CHANNEL_CLOSED']);

export const cpuUs = (u: NodeJS.CpuUsage = process.cpuUsage()): number => u.user + u.system;
