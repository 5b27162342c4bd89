// What a strategy kind is: how its workers take connections, both sides in one object, chosen once
// by the kind table (kinds/index.ts), as Node core's queryServer picks RoundRobinHandle or
// SharedHandle once and both answer the same add/remove. The callers never ask which kind:
//
//   primary.ts   side = primary(def, config)            before the first fork
//                fork with side.fork, side.policy, { kind, port: side.port, options: side.options }
//                port = side.listen(workers, ready)     -> ready{port} to the runner
//                --respawn: if side.canAdd, fork one, then side.add(w, port) once it is ready
//                exit fault: side.remove(w); snapshot: side.stats(); shutdown: side.close()
//   worker.ts    KINDS[config.kind].worker({ server, config, options, closing, send })
//                -> csb:ready{port} once it takes connections (csb:booted first, if listen() waits for that)
import type { Server } from 'node:http';
import type { ListenOptions } from 'node:net';
import type { StrategyDef } from '../../../strategies/types.js';
import type { DispatchStats } from '../dispatch.js';
import type { Forker, Worker } from '../forks.js';
import type { ClusterConfig, WorkerConfig, WorkerToPrimary } from '../protocol.js';

/** Resolves when the worker says csb:ready (with its port) or csb:booted (with 0); rejects if it fails or exits first. */
export type ReadyWait = (w: Worker, type?: 'csb:ready' | 'csb:booted') => Promise<number>;

/** A kind's primary side for one cluster, made before the first fork. */
export interface PrimarySide<O = unknown> {
  // What the kind needs of its workers.
  /** `cluster.schedulingPolicy`, frozen at the first fork. Default SCHED_NONE. */
  readonly policy?: number;
  /** How each worker is forked. Default `clusterFork`. */
  readonly fork?: Forker;
  /** The port the workers are told. Default the configured one. */
  readonly port?: number;
  /** What the kind's worker side is told (`WorkerConfig.options`, JSON). Default none. */
  readonly options?: O;

  // Listening, and workers coming and going.
  /** Every worker is forked: have them take connections; resolves with the port clients connect to. */
  listen(workers: readonly Worker[], ready: ReadyWait): Promise<number>;
  /** Whether a replacement (--respawn) can take connections at all. */
  readonly canAdd: boolean;
  /** A replacement said ready (on `port`, its own one if it listens apart). Default: nothing (it listens itself). */
  add?(w: Worker, port: number): void;
  /** A worker is leaving (exit fault): place nothing more on it. Default: nothing (it stops listening itself). */
  remove?(w: Worker): void;
  /** Connections the primary placed, for snapshots. Default none: the kernel placed them. */
  stats?(): DispatchStats | undefined;
  /** Stop accepting (shutdown). Default: nothing (the primary holds no socket). */
  close?(): void;
}

/** What a kind's worker side is given, once the app is ready. */
export interface WorkerContext<O = unknown> {
  /** The app's HTTP server: listen on it, or emit 'connection' into it. */
  readonly server: Server;
  readonly config: WorkerConfig;
  /** What this kind's primary side put in `options`. */
  readonly options: O;
  /** true once the worker is closing. */
  closing(): boolean;
  send(m: WorkerToPrimary): void;
}

/**
 * One kind. `O` is what its primary side tells its workers: both sides are this one object, picked
 * by `WorkerConfig.kind`, so the options a worker reads are the ones its own kind wrote.
 */
export interface ClusterKind<D extends StrategyDef = StrategyDef, O = unknown> {
  /**
   * Descriptors the primary holds per connection for as long as the connection lasts (default 0:
   * the primary only passes handles on, for moments): the proxy's 2, the client's and its own to
   * the worker. A run warns when that many for every connection would not fit the open-file limit.
   */
  primaryFds?(def: D): number;
  /** The primary side of one cluster of strategy `def`. */
  primary(def: D, config: ClusterConfig): PrimarySide<O> | Promise<PrimarySide<O>>;
  /** The worker side: start taking connections and say csb:ready. */
  worker(ctx: WorkerContext<O>): void;
}

/** Wait until every worker is ready; the port of each, in order. */
export const allReady = (workers: readonly Worker[], ready: ReadyWait): Promise<number[]> => Promise.all(workers.map((w) => ready(w)));

/** Worker side: a listen error goes to the primary (its start fails with it). */
export const reportListenError = ({ server, send }: WorkerContext): void =>
  void server.once('error', (err) => send({ type: 'csb:fatal', message: err.message }));

/** Worker side: listen, then say csb:ready with the port bound (`fallback` if the server cannot say). */
export function listenThenReady(ctx: WorkerContext, options: ListenOptions, fallback: number): void {
  reportListenError(ctx);
  ctx.server.listen(options, () => {
    const addr = ctx.server.address();
    ctx.send({ type: 'csb:ready', port: typeof addr === 'object' && addr ? addr.port : fallback });
  });
}
