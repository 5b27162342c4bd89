import { lookup } from 'node:dns/promises';
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

/** `a` and, when given, `b`: aborted when either is (the reason of the first). */
export const eitherSignal = (a: AbortSignal, b: AbortSignal | undefined): AbortSignal => (b ? AbortSignal.any([a, b]) : a);

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
}

/**
 * The target with its host resolved once, before any load: `localhost` would otherwise cost a DNS
 * lookup per request, through libuv's 4-thread pool, inside a burst.
 */
export async function resolved(t: Target): Promise<Target> {
  const { address } = await lookup(t.host);
  return { ...t, host: address };
}
