// The worker as the primary sees it, and the two ways a kind can have one forked: cluster.fork,
// or a plain child_process.fork shaped like a cluster Worker (shared-handle runs without the
// cluster module). Either way the child runs worker.ts, its config in its environment.
import { type ChildProcess, fork } from 'node:child_process';
import cluster from 'node:cluster';
import { EventEmitter } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { PrimaryToWorker } from './protocol.js';

/** The worker entry every fork runs. */
export const WORKER_FILE = fileURLToPath(new URL('./worker.js', import.meta.url));

/** What the primary uses of a worker: a cluster Worker has it, and so does a PlainWorker. */
export interface Worker extends EventEmitter {
  readonly id: number;
  readonly process: ChildProcess;
  isDead(): boolean;
  isConnected(): boolean;
  send(message: PrimaryToWorker, callback: (err: Error | null) => void): boolean;
}

let plainIds = 0;

/** A worker forked without the cluster module (shared-handle), shaped like a cluster Worker. */
export class PlainWorker extends EventEmitter implements Worker {
  readonly id = ++plainIds;
  constructor(readonly process: ChildProcess) {
    super();
    for (const ev of ['message', 'exit', 'error', 'disconnect'] as const) process.on(ev, (...args: unknown[]) => this.emit(ev, ...args));
  }
  isDead(): boolean {
    return this.process.exitCode !== null || this.process.signalCode !== null;
  }
  isConnected(): boolean {
    return this.process.connected;
  }
  send(message: PrimaryToWorker, callback: (err: Error | null) => void): boolean {
    return this.process.send(message, callback);
  }
}

/** Forks one worker; `env` carries its config (added to the primary's own environment). */
export type Forker = (env: NodeJS.ProcessEnv) => Worker;

/** Through the cluster module (the primary has called `cluster.setupPrimary({ exec: WORKER_FILE })`). */
export const clusterFork: Forker = (env) => cluster.fork(env);

/** A plain child with an IPC channel, no cluster module. */
export const plainFork: Forker = (env) =>
  new PlainWorker(fork(WORKER_FILE, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
