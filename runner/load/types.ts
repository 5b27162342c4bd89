import { lookup } from 'node:dns/promises';
import { setMaxListeners } from 'node:events';
import type { LoadMode, LoadSettings } from '../../format/loads.js';
import type { RequestRecord } from '../../format/requests.js';

/** Where a load generator hands each record as it finishes (the strategy's tally). Never kept. */
export type Sink = (rec: RequestRecord) => void;

/** What one round (burst) or one timed load (sustained, churn, open) produced; its records went to the sink. */
export interface LoadRound {
  /** Requests the client started (written to a socket or attempted). */
  sent: number;
}

/** A load stopped early by the run (Ctrl-C, SIGTERM): what its unfinished requests count as. */
export const INTERRUPTED = 'INTERRUPTED';

/** A strategy that ran past its deadline (a hung worker, a stuck primary): what its open requests count as. */
export const RUN_DEADLINE = 'RUN_DEADLINE';

/** A strategy whose primary stopped answering (a pick that never returns): why its load stopped. */
export const PRIMARY_UNRESPONSIVE = 'PRIMARY_UNRESPONSIVE';

/** Why a load was stopped, in words after "the run" or "the strategy": its stop signal's reason. */
export const stopText = (reason: unknown): string =>
  reason === RUN_DEADLINE
    ? 'ran past its deadline'
    : reason === PRIMARY_UNRESPONSIVE
      ? 'stopped: its primary stopped answering'
      : 'interrupted';

/**
 * The error code of a request cut off by `signal`: its reason when that is a code (INTERRUPTED,
 * ROUND_DEADLINE), else `fallback`.
 */
export const abortCode = (signal: AbortSignal, fallback: string): string => (typeof signal.reason === 'string' ? signal.reason : fallback);

/**
 * The signal of one load's requests: aborted by the load's own deadline (`expire(code)`) or by the
 * run stopping (`stop`, INTERRUPTED), whichever comes first; its reason is the requests' error code.
 * `maxListeners`: one abort listener per request in flight (0: unbounded).
 */
export function loadSignal(stop: AbortSignal | undefined, maxListeners: number): { signal: AbortSignal; expire(code: string): void } {
  const own = new AbortController();
  const signal = stop ? AbortSignal.any([own.signal, stop]) : own.signal;
  setMaxListeners(maxListeners, signal);
  return { signal, expire: (code) => own.abort(code) };
}

/** Everything one round (burst) or one timed load needs to fire. */
export interface LoadContext<M extends LoadMode = LoadMode> {
  target: Target;
  /** The mode's settings (this process's share of them, with --clients). */
  settings: LoadSettings<M>;
  /** --round-timeout: a burst round's deadline, or the drain time after a timed load. */
  deadlineMs: number;
  round: number;
  clock: LoadClock;
  /** Where each record goes as it finishes. */
  sink: Sink;
  /** The run stopping (Ctrl-C, out of time): no new request; those open end at once, with the stop's reason as their code. */
  stop?: AbortSignal;
  /** A timed schedule's phase, ms: this process's share starts that much later, between the others' (open loop, --clients). */
  phaseMs?: number;
}

/** One load-generator process's share of a load: its settings, and where its schedule starts among the others'. */
export interface LoadShare<M extends LoadMode> {
  settings: LoadSettings<M>;
  phaseMs?: number;
}

/**
 * A load mode, declared once: everything the runner asks of it. How reports describe it and which
 * settings make runs comparable is its form in format/loads.ts.
 */
export interface LoadDef<M extends LoadMode> {
  /** One line for --help. */
  readonly description: string;
  /** Its settings' defaults (timed loads: `rounds: 1`, one reconciled round). */
  readonly defaults: Omit<LoadSettings<M>, 'load'>;
  /** The bench flags that mean something for it; the others are refused with it. */
  readonly flags: readonly LoadFlag[];
  /** The longest its load may take with every round at its deadline, ms (the strategy's deadline adds slack). */
  maxMs(s: LoadSettings<M>, deadlineMs: number): number;
  /** When a round-numbered --fault fires, ms after its round starts (a timed load: halfway). */
  faultAtMs(s: LoadSettings<M>): number;
  /** Connections one load has open at once, for the open-file and port checks; null when the settings do not bound it. */
  connectionsAtOnce(s: LoadSettings<M>): number | null;
  /** Load-generator process i of k's share (--clients); null when it gets none. */
  share(s: LoadSettings<M>, i: number, k: number): LoadShare<M> | null;
  /** Fire round `ctx.round`: every request comes back as a record through the sink, whatever happens. */
  fire(ctx: LoadContext<M>): Promise<LoadRound>;
}

/** The bench flags a load mode may take (each refused with the modes that do not list it). */
export const LOAD_FLAGS = ['connections', 'rounds', 'duration', 'rate', 'client-addrs'] as const;
export type LoadFlag = (typeof LOAD_FLAGS)[number];

/** `total` split into `k` whole shares, the larger ones first: 10 / 3 -> [4, 3, 3]. */
export const splitEven = (total: number, k: number): number[] =>
  Array.from({ length: k }, (_, i) => Math.floor(total / k) + (i < total % k ? 1 : 0));

/** Share i of k of a load whose size is its connections: null when it gets none. */
export function connectionShare<S extends { connections: number }>(s: S, i: number, k: number): { settings: S } | null {
  const connections = splitEven(s.connections, k)[i];
  return connections === 0 ? null : { settings: { ...s, connections } };
}

/** Shared by every generator of a strategy's load. */
export interface LoadClock {
  /** performance.now() at the start of the strategy's load. */
  origin: number;
}

export interface Target {
  host: string;
  port: number;
  /** Request path (default `/`: the app under test's only route). */
  path?: string;
  /** --client-addrs: loopback source addresses to spread the connections over (connection i uses i mod N). */
  sources?: string[];
}

/** The source address for the `i`-th connection, and its index: none unless --client-addrs. */
export function sourceOf(t: Target, i: number): { localAddress: string; src: number } | undefined {
  if (!t.sources || t.sources.length === 0) return undefined;
  const src = i % t.sources.length;
  return { localAddress: t.sources[src], src };
}

/** `n` loopback source addresses, 127.0.0.1 .. 127.0.0.n (Linux routes all of 127.0.0.0/8 to lo). */
export const loopbackSources = (n: number): string[] => Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);

/**
 * The target with its host resolved once, before any load: `localhost` would otherwise cost a DNS
 * lookup per request, through libuv's 4-thread pool, inside a burst.
 */
export async function resolved(t: Target): Promise<Target> {
  const { address } = await lookup(t.host);
  return { ...t, host: address };
}
