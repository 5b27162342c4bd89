import { lookup } from 'node:dns/promises';
import { setMaxListeners } from 'node:events';
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
