// Reconciliation: what the client saw against what the workers counted, per round and worker.
// Every difference becomes a sentence in `problems`; nothing is dropped.

import type { RequestRecord } from '../format/requests.js';
import type { RoundResult, WorkerRef } from '../format/schema.js';
import type { Snapshot } from './cluster/protocol.js';
import { topShare } from './metrics.js';

export const UNKNOWN_PID = 'UNKNOWN_PID';

/** Counters of one worker between two snapshots (missing in a snapshot: 0). */
function delta(pid: number, before: Snapshot, after: Snapshot, key: 'requests' | 'connections'): number {
  const a = after.workers.find((w) => w.pid === pid)?.[key] ?? 0;
  const b = before.workers.find((w) => w.pid === pid)?.[key] ?? 0;
  return a - b;
}

/**
 * Reconcile one round. `records` are the client's; `sent` is how many requests were fired.
 * A response from a pid that is not one of the workers counts as an error (UNKNOWN_PID).
 */
export function reconcileRound(
  index: number,
  sent: number,
  records: RequestRecord[],
  workers: readonly WorkerRef[],
  before: Snapshot,
  after: Snapshot,
  wallMs: number,
): { round: RoundResult; problems: string[] } {
  const problems: string[] = [];
  const counts: Record<string, number> = {};
  const server: Record<string, number> = {};
  const connections: Record<string, number> = {};
  for (const w of workers) {
    counts[w.pid] = 0;
    server[w.pid] = delta(w.pid, before, after, 'requests');
    connections[w.pid] = delta(w.pid, before, after, 'connections');
  }
  let ok = 0;
  let unknown = 0;
  for (const r of records) {
    if (r.pid !== 0 && !(r.pid in counts)) {
      r.error = UNKNOWN_PID;
      unknown++;
      continue;
    }
    if (r.pid !== 0) counts[r.pid]++;
    if (r.error === null) ok++;
  }
  if (unknown > 0)
    problems.push(`round ${index}: ${unknown} ${unknown === 1 ? 'response' : 'responses'} carried a pid that is not one of the workers`);
  if (records.length !== sent)
    problems.push(`round ${index}: ${sent} requests sent but ${records.length} came back (${sent - records.length} lost)`);
  let mismatches = 0;
  for (const w of workers) {
    const diff = counts[w.pid] - server[w.pid];
    if (diff === 0) continue;
    mismatches += Math.abs(diff);
    problems.push(`round ${index}: worker ${w.pid} counted ${server[w.pid]} requests, the client saw ${counts[w.pid]} from it`);
  }
  const round: RoundResult = {
    index,
    counts,
    server,
    connections,
    sent,
    ok,
    errors: records.length - ok + (sent - records.length),
    mismatches,
    topShare: topShare(Object.values(counts)),
    wallMs: Math.round(wallMs * 10) / 10,
  };
  return { round, problems };
}
