// The round loop every load shares, our own cluster's or a --target's: fire a round, read the
// workers' counters (letting them settle first when a request failed or went missing), and
// reconcile the two. One place for that order.
import type { RoundResult, WorkerRef } from '../format/schema.js';
import type { Snapshot } from './cluster/protocol.js';
import type { LoadDriver } from './load/clients.js';
import { loadFor } from './load/index.js';
import type { LoadClock, Target } from './load/types.js';
import type { RunOptions } from './options.js';
import { reconcileRound, settle } from './reconcile.js';
import type { Tally } from './tally.js';

export type Progress = (strategy: string, round: number, rounds: number) => void;

/** The load generated in this process. */
export function localDriver(o: RunOptions, target: Target, clock: LoadClock, tally: Tally): LoadDriver {
  const load = loadFor(o);
  return { rounds: load.rounds, fire: (i) => load.fire(target, i, clock, tally.add), finish: async () => ({ clientCpuMs: [] }) };
}

/**
 * Every round of `load`, reconciled. `read` gives the workers' own counters (null: a target with
 * none to read; only what came back is checked); `workers` may grow as a target's pids appear.
 */
export async function runRounds(
  name: string,
  load: LoadDriver,
  tally: Tally,
  workers: () => readonly WorkerRef[],
  read: (() => Promise<Snapshot>) | null,
  first: Snapshot | null,
  progress: Progress,
): Promise<{ rounds: RoundResult[]; problems: string[]; last: Snapshot | null }> {
  const rounds: RoundResult[] = [];
  const problems: string[] = [];
  let prev = first;
  for (let i = 1; i <= load.rounds; i++) {
    progress(name, i, load.rounds);
    const t0 = performance.now();
    const { sent } = await load.fire(i);
    const wall = performance.now() - t0;
    const seen = tally.round(i);
    let snap = read ? await read() : null;
    // A failed or missing request may still be counted by its worker: let the counters settle first.
    if (read && snap && (seen.records !== seen.ok || seen.records !== sent)) snap = await settle(read, snap);
    const r = reconcileRound(i, sent, seen, workers(), prev, snap, wall);
    rounds.push(r.round);
    problems.push(...r.problems);
    prev = snap;
  }
  return { rounds, problems, last: prev };
}
