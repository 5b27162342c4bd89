// Messages between the runner and its load-generator processes (--clients K > 1): see client.ts.
import type { RequestRecord } from '../../format/requests.js';
import type { WorkerRef } from '../../format/schema.js';
import type { RunOptions } from '../options.js';
import type { RoundTally, TallyExport } from '../tally.js';
import type { Target } from './types.js';

/** A record on the wire: round, pid, status, latencyUs, error, atMs, and src (-1: none). */
export type WireRecord = [number, number, number, number, string | null, number, number];

export type ToClient =
  | {
      type: 'load';
      opts: RunOptions;
      /** Where this client's schedule starts among the others' (open loop), ms. */
      phaseMs: number;
      target: Target;
      workers: WorkerRef[];
      originEpochMs: number;
      keepRecords: boolean;
    }
  | { type: 'go'; round: number }
  /** The run is stopping (Ctrl-C): end the round now; it still replies `fired` with every record. */
  | { type: 'stop'; reason: string }
  /** A worker joined the cluster (--respawn): its responses are not UNKNOWN_PID. */
  | { type: 'worker'; worker: WorkerRef }
  | { type: 'finish' };

export type FromClient =
  | { type: 'loaded' }
  | { type: 'records'; recs: WireRecord[] }
  | { type: 'fired'; round: number; sent: number; seen: RoundTally }
  | { type: 'finished'; tally: TallyExport; cpuUs: number }
  | { type: 'failed'; message: string };

/** Records batched per IPC message. */
export const BATCH = 2000;

export const fromWire = ([round, pid, status, latencyUs, error, atMs, src]: WireRecord): RequestRecord => ({
  round,
  pid,
  status,
  latencyUs,
  error,
  atMs,
  ...(src >= 0 && { src }),
});
