// Hand-made client records and worker snapshots for the reconciliation and summary tests.

import type { RequestRecord } from '../../format/requests.js';
import type { WorkerRef } from '../../format/schema.js';
import type { Snapshot } from '../../runner/cluster/protocol.js';
import { Tally } from '../../runner/tally.js';

export const WORKERS = [
  { id: 1, pid: 101 },
  { id: 2, pid: 102 },
];

/** A response from `pid` (ok unless `error` is given). */
export const ok = (round: number, pid: number, latencyUs: number, atMs = 0): RequestRecord => ({
  round,
  pid,
  status: 200,
  latencyUs,
  error: null,
  atMs,
});
export const failed = (round: number, pid: number, status: number, error: string, latencyUs = 500, atMs = 0): RequestRecord => ({
  round,
  pid,
  status,
  latencyUs,
  error,
  atMs,
});

/** A snapshot: pid -> [requests, connections, cpuUs] as the workers counted them (cumulative). */
export function snap(counts: Record<number, [number, number, number?]>, primaryCpuUs = 0, dispatch?: Snapshot['dispatch']): Snapshot {
  return {
    workers: WORKERS.filter((w) => w.pid in counts).map((w) => {
      const [requests, connections, cpuUs = 0] = counts[w.pid];
      return { id: w.id, pid: w.pid, requests, connections, cpuUs };
    }),
    primaryCpuUs,
    ...(dispatch && { dispatch }),
  };
}

/** A tally of `records`, as the runner builds one record by record. */
export function tallyOf(workers: readonly WorkerRef[], records: Iterable<RequestRecord>): Tally {
  const t = new Tally(workers);
  for (const r of records) t.add(r);
  return t;
}
