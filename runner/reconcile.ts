// Reconciliation: what the client saw against what the workers counted, per round and worker.
// Every difference becomes a sentence in `problems`; nothing is dropped.
import type { RoundResult, WorkerRef } from '../format/schema.js';
import type { Snapshot } from './cluster/protocol.js';
import { DEADLINE } from './load/request.js';
import { topShare } from './metrics.js';
import type { RoundTally } from './tally.js';

/** Counters of one worker between two snapshots (missing in a snapshot: 0). */
function delta(pid: number, before: Snapshot, after: Snapshot, key: 'requests' | 'connections'): number {
  const a = after.workers.find((w) => w.pid === pid)?.[key] ?? 0;
  const b = before.workers.find((w) => w.pid === pid)?.[key] ?? 0;
  return a - b;
}

/** What happened to the workers in a round: explains differences instead of leaving them unexplained. */
export interface RoundContext {
  /** Why this worker's count may differ from what the client saw this round (it died, hung...), or null. */
  explain(pid: number): string | null;
  /**
   * This worker's last counts may be behind what it answered: it died unasked or missed a counter
   * read. Only then can the client have seen more from it than it counted; a worker killed or
   * exited by a fault sends its final counts before it goes, and a hung one still answers reads.
   */
  lagging?(pid: number): boolean;
  /** What happened this round that can make requests fail, in a few words each ("worker 4102 killed"). */
  events: readonly string[];
  /**
   * Requests the client stopped waiting for at the previous round's deadline that no worker had
   * counted by that round's end (`uncounted` of its reconciliation): a worker may count them now,
   * when it reads them at last (they sat in an accept queue, or in the rr primary's).
   */
  lateCutOffs?: number;
}

const NO_CONTEXT: RoundContext = { explain: () => null, events: [] };

const codesText = (errors: Record<string, number>): string =>
  Object.entries(errors)
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${code} ${n}`)
    .join(', ');

/**
 * Reconcile one round: `seen` is the client's tally of it (tally.ts), `sent` how many requests
 * were fired. Responses from a pid that is none of the workers' are errors (UNKNOWN_PID).
 * Without snapshots (an external target with no counts to read) only what came back is checked.
 */
export function reconcileRound(
  index: number,
  sent: number,
  seen: RoundTally,
  workers: readonly WorkerRef[],
  before: Snapshot | null,
  after: Snapshot | null,
  wallMs: number,
  context: RoundContext = NO_CONTEXT,
): {
  round: RoundResult;
  problems: string[];
  explained: string[];
  /** This round's ROUND_DEADLINE requests no worker counted in it (the next round's `lateCutOffs`); absent: none. */
  uncounted?: number;
} {
  const problems: string[] = [];
  const explained: string[] = [];
  const counts: Record<string, number> = {};
  const server: Record<string, number> = {};
  const connections: Record<string, number> = {};
  for (const w of workers) {
    counts[w.pid] = seen.counts[w.pid] ?? 0;
    if (!before || !after) continue;
    server[w.pid] = delta(w.pid, before, after, 'requests');
    connections[w.pid] = delta(w.pid, before, after, 'connections');
  }
  const { unknown } = seen;
  if (unknown > 0)
    problems.push(`round ${index}: ${unknown} ${unknown === 1 ? 'response' : 'responses'} carried a pid that is not one of the workers`);
  if (seen.records !== sent)
    problems.push(`round ${index}: ${sent} requests sent but ${seen.records} came back (${sent - seen.records} lost)`);
  let mismatches = 0;
  let explainedN = 0;
  let byEvents = 0; // differences a worker event explains (not the deadline)
  // Requests the client stopped waiting for at the round deadline: it cannot tell which worker had
  // them, and a worker may have counted them (answered too late, or read after the client gave up),
  // in this round or, read later still, in the next.
  let cutOff = seen.errors[DEADLINE] ?? 0;
  let late = context.lateCutOffs ?? 0;
  const cutText = late > 0 ? `${DEADLINE} errors of rounds ${index - 1} and ${index}` : `round's ${DEADLINE} errors`;
  const compared = before && after ? workers : [];
  const counted = (w: WorkerRef): string =>
    `round ${index}: worker ${w.pid} counted ${server[w.pid]} requests, the client saw ${counts[w.pid]} from it`;
  // Workers an event explains come first: the requests a hung worker took and never answered are
  // among the round's deadline cut-offs, so those cannot explain another worker's count as well.
  for (const w of compared) {
    const diff = counts[w.pid] - server[w.pid];
    const why = context.explain(w.pid);
    if (diff === 0 || why === null) continue;
    mismatches += Math.abs(diff);
    if (diff > 0 && context.lagging?.(w.pid) !== true) {
      problems.push(`${counted(w)}: more than it counted, although its counts were current (${why})`);
      continue;
    }
    if (diff < 0) cutOff -= Math.min(-diff, cutOff);
    explainedN += Math.abs(diff);
    byEvents += Math.abs(diff);
    explained.push(
      diff < 0
        ? `round ${index}: worker ${w.pid} ${why}: it took ${server[w.pid]} requests and answered ${counts[w.pid]}: ${-diff} never answered`
        : `round ${index}: worker ${w.pid} ${why}: the client got ${counts[w.pid]} answers from it, its last count says ${server[w.pid]}: ${diff} answered after its counters were last read`,
    );
  }
  for (const w of compared) {
    const diff = counts[w.pid] - server[w.pid];
    if (diff === 0 || context.explain(w.pid) !== null) continue;
    mismatches += Math.abs(diff);
    if (diff < 0 && -diff <= cutOff + late) {
      const own = Math.min(-diff, cutOff);
      cutOff -= own;
      late -= -diff - own;
      explainedN -= diff;
      explained.push(`${counted(w)}: ${-diff} of the ${cutText} (the client stopped waiting)`);
      continue;
    }
    problems.push(counted(w));
  }
  const failed = seen.records - seen.ok;
  const lost = sent - seen.records;
  const errorsByCode = { ...seen.errors, ...(lost > 0 && { LOST: lost }) };
  // Failures are explained by what happened to the workers this round, never by the deadline alone.
  const eventful = context.events.length > 0 || byEvents > 0;
  if (eventful && failed + lost > 0) {
    const codes = codesText(errorsByCode);
    const after = context.events.length > 0 ? ` (${context.events.join('; ')})` : '';
    explained.push(`round ${index}: ${failed + lost} of ${sent} requests failed${after}: ${codes}`);
  }
  const round: RoundResult = {
    index,
    counts,
    server,
    connections,
    sent,
    ok: seen.ok,
    errors: seen.records - seen.ok + (sent - seen.records),
    mismatches,
    topShare: topShare(Object.values(counts)),
    wallMs: Math.round(wallMs * 10) / 10,
    ...(failed + lost > 0 && { errorsByCode }),
    ...(explainedN > 0 && { explained: explainedN }),
    ...(eventful && failed + lost > 0 && { errorsExplained: failed + lost }),
  };
  // Cut off and counted by no worker: never reached one, or not yet (the next round may see it).
  const uncounted = before && after ? cutOff : 0;
  return { round, problems, explained, ...(uncounted > 0 && { uncounted }) };
}

/** The workers' request and connection counters, summed: what must stop moving. */
const counted = (s: Snapshot): number => s.workers.reduce((a, w) => a + w.requests + w.connections, 0);

/**
 * After a round in which some request failed on the client (a deadline, a reset), the server may
 * still be counting it: a request that sat in the accept queue is read after the client gave up.
 * Read the counters until two readings agree (or `maxMs` passes), so late counts land in the
 * round they belong to instead of the next one, or nowhere after the last.
 */
export async function settle(read: () => Promise<Snapshot | null>, first: Snapshot, intervalMs = 50, maxMs = 1000): Promise<Snapshot> {
  const end = performance.now() + maxMs;
  let prev = first;
  while (performance.now() < end) {
    await new Promise((r) => setTimeout(r, intervalMs));
    const next = await read();
    if (next === null) return prev; // the counters stopped answering: the last reading stands
    if (counted(next) === counted(prev)) return next;
    prev = next;
  }
  return prev;
}
