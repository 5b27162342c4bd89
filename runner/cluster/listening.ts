// How a primary's workers take connections, beyond cluster's own shared handle: the worker shape
// the primary uses (a cluster Worker, or a plain forked child for shared-handle), the worker mode of
// each kind of strategy, and the set-up the architectures need (a free port for reuseport, the
// listening server handed to every child for shared-handle).
import type { ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import type { StrategyDef } from '../../strategies/types.js';
import type { ClusterConfig, PrimaryToWorker, WorkerConfig } from './protocol.js';

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

/** How each kind of strategy has its workers take connections. */
export const MODES: Record<StrategyDef['kind'], WorkerConfig['mode']> = {
  native: 'listen',
  kernel: 'reuseport',
  dispatch: 'dispatch',
  user: 'dispatch',
  proxy: 'own-port',
  handle: 'handle',
};

/**
 * shared-handle: listen here, send the listening server to every child (each then accepts on
 * it, as SCHED_NONE's workers do, without the cluster module), and close this copy once they all
 * listen, so the primary itself never accepts.
 */
export async function shareHandle(
  workers: readonly Worker[],
  config: ClusterConfig,
  onceReady: (w: Worker, type?: 'csb:ready' | 'csb:booted') => Promise<number>,
): Promise<number> {
  await Promise.all(workers.map((w) => onceReady(w, 'csb:booted')));
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: config.host, port: config.port, backlog: config.backlog }, resolve);
  });
  const addr = server.address();
  const listening = workers.map((w) => onceReady(w));
  for (const w of workers) w.process.send({ type: 'csb:listen' } satisfies PrimaryToWorker, server);
  await Promise.all(listening);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof addr === 'object' && addr ? addr.port : config.port;
}

/** A port free on `host` now (bound and released at once): for workers that each bind it. */
export function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host, port: 0, exclusive: true }, () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}
