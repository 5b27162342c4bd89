// What a strategy is. Dispatch strategies are pure choices: no sockets, timers or IPC here.
import type { StrategyKind } from '../format/schema.js';

/** What a dispatch strategy sees of a worker when it chooses. */
export interface WorkerLoad {
  id: number;
  pid: number;
  /** Connections handed to this worker and not yet closed. Kept up to date only for strategies
   *  with `needsCloses` (workers report closes just for them); otherwise it only ever grows. */
  active: number;
  /** Connections handed to this worker so far. */
  served: number;
  /**
   * Requests in flight at this worker as it last reported them, plus connections handed to it that
   * it had not yet received then. Only strategies with `needsRequests` get reports from the
   * workers; for every other strategy it counts one per connection handed over and never goes
   * down (the dispatcher's own bookkeeping), so it is of no use to them.
   */
  requests: number;
}

/** What a picker may know of the connection itself (only strategies with `needsAddress` get it). */
export interface ConnInfo {
  /** The client's IP address, as the primary's accept saw it. */
  remoteAddress: string;
}

/**
 * What a holding picker returns when no worker has spare capacity: the dispatcher keeps the
 * connection (oldest first) and asks again as the workers report, as core's RR keeps handles until
 * a worker is free.
 */
export const HOLD = -2;

/** A userland placement policy: choose the index of the worker that gets the next connection. */
export interface Picker {
  pick(workers: readonly WorkerLoad[], rng: () => number, conn?: ConnInfo): number;
  /**
   * A picker that may answer HOLD gives this: where a connection goes once it has been held
   * `holdMs` (a report lost, or every worker busy that long). Must return an index.
   */
  fallback?(workers: readonly WorkerLoad[], rng: () => number): number;
  /** How long a held connection may wait for a worker with spare capacity, ms (default 200). */
  readonly holdMs?: number;
}

/** null when supported, else the reason it is not (printed when the strategy is skipped). */
export type SupportCheck = (platform: NodeJS.Platform, nodeVersion: string) => string | null;

interface StrategyBase {
  readonly name: string;
  /** One line for --help and reports. */
  readonly description: string;
  readonly supported: SupportCheck;
}

/** Node's own scheduling: only `cluster.schedulingPolicy` is set before the first fork. */
export interface NativeStrategy extends StrategyBase {
  readonly kind: 'native';
  readonly policy: 'rr' | 'none';
}

/**
 * Kinds whose strategies carry nothing beyond a name and a description: how the workers take
 * connections is all in the kind (runner/cluster/kinds/). A new kind of this sort is a name in
 * `STRATEGY_KINDS` (format/schema.ts) and needs nothing here. `target` is no cluster at all.
 */
export type PlainKind = Exclude<StrategyKind, 'native' | 'dispatch' | 'user' | 'target'>;

/** A strategy of a plain kind: `PlainStrategy<'kernel'>`, or of any of them. */
export interface PlainStrategy<K extends PlainKind = PlainKind> extends StrategyBase {
  readonly kind: K;
}

/** The kernel places connections: every worker has its own listening socket (SO_REUSEPORT). No cluster handle. */
export type KernelStrategy = PlainStrategy<'kernel'>;

/** The primary accepts and hands each socket to the worker chosen by `createPicker()`. */
export interface DispatchStrategy extends StrategyBase {
  readonly kind: 'dispatch';
  /** A fresh picker per cluster (pickers may keep a cursor for tie-breaking). */
  createPicker(): Picker;
  /** The picker reads `active`: workers then report closes to the primary (batched, once per tick). */
  readonly needsCloses: boolean;
  /** The picker reads `requests`: workers then report requests in flight (a start at once, ends once per tick). */
  readonly needsRequests?: boolean;
  /** The picker reads the client's address (`conn`): the primary asks the kernel for it on every accept. */
  readonly needsAddress?: boolean;
}

/**
 * A strategy the user wrote (`--strategy-file`): a picker like a dispatch strategy's, run in the
 * primary the same way, loaded from an ES module (runner/user-strategy.ts checks it first).
 */
export interface UserStrategy extends StrategyBase {
  readonly kind: 'user';
  createPicker(): Picker;
  readonly needsCloses: boolean;
  /** The module, as an absolute path, and the SHA-256 of its bytes (recorded with the results). */
  readonly file: string;
  readonly sha256: string;
}

/**
 * The older architectures, for comparison: `proxy` (the primary pipes each connection to a worker
 * on its own port) and `handle` (no cluster module: the listening handle sent to forked children).
 */
export type ArchitectureStrategy = PlainStrategy<'proxy' | 'handle'>;

/** One variant per plain kind (distributed, so `kind` narrows to one). */
type PlainStrategies = { [K in PlainKind]: PlainStrategy<K> }[PlainKind];

export type StrategyDef = NativeStrategy | DispatchStrategy | UserStrategy | PlainStrategies;
