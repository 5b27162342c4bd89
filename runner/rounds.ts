// The round loop every load shares, our own cluster's or a --target's: fire a round, read the
// workers' counters (letting them settle first when a request failed or went missing), and
// reconcile the two. One place for that order.
import type { RoundResult, WorkerRef } from '../format/schema.js';
import type { Snapshot } from './cluster/protocol.js';
import type { LoadDriver } from './load/clients.js';
import { fireLoad } from './load/index.js';
import { type LoadClock, stopText, type Target } from './load/types.js';
import type { RunOptions } from './options.js';
import { type RoundContext, reconcileRound, settle } from './reconcile.js';
import type { Tally } from './tally.js';

export type Progress = (strategy: string, round: number, rounds: number) => void;

/** The load generated in this process. */
export function localDriver(o: RunOptions, target: Target, clock: LoadClock, tally: Tally): LoadDriver {
  return {
    rounds: o.rounds,
    fire: (round, stop) =>
      fireLoad({ target, settings: o, deadlineMs: o.roundTimeoutMs, round, clock, sink: tally.add, ...(stop && { stop }) }),
    addWorker: (w) => tally.addWorker(w),
    finish: async () => ({ clientCpuMs: [] }),
  };
}

export interface RoundsSpec {
  name: string;
  load: LoadDriver;
  tally: Tally;
  /** The workers now (a target's grow as pids appear; a cluster's with --respawn). */
  workers: () => readonly WorkerRef[];
  /**
   * The workers' own counters (null: a target with none to read; only what came back is checked).
   * A read that resolves null could not be taken (the primary stopped answering): that round is
   * checked against what came back only, and it is the last.
   */
  read: (() => Promise<Snapshot | null>) | null;
  first: Snapshot | null;
  progress: Progress;
  /** The run stopping (Ctrl-C, out of time): the round in flight ends early and is the last. */
  stop?: AbortSignal;
  /** As round i starts, its load already under way (faults are injected here). */
  onRoundStart?(i: number): void;
  /** Why counts may differ in round i (worker events); a read's stale workers are reported to it first. */
  context?(i: number, snap: Snapshot | null): RoundContext;
}

export interface RoundsOutcome {
  rounds: RoundResult[];
  problems: string[];
  /** How worker events account for differences and failures, one sentence each. */
  explained: string[];
  last: Snapshot | null;
  /** The round whose load the stop cut short (it is partial), if any. */
  stoppedIn?: number;
}

/** Every round of the load, reconciled; stops after the round in which `stop` fires. */
export async function runRounds(spec: RoundsSpec): Promise<RoundsOutcome> {
  const { load, tally, read, stop } = spec;
  const rounds: RoundResult[] = [];
  const problems: string[] = [];
  const explained: string[] = [];
  let prev = spec.first;
  let stoppedIn: number | undefined;
  let uncounted = 0; // the previous round's cut-off requests no worker had counted yet
  for (let i = 1; i <= load.rounds && !stop?.aborted; i++) {
    spec.progress(spec.name, i, load.rounds);
    const t0 = performance.now();
    const fired = load.fire(i, stop);
    spec.onRoundStart?.(i);
    const { sent } = await fired;
    const wall = performance.now() - t0;
    if (stop?.aborted) stoppedIn = i; // cut short: partial
    const seen = tally.round(i);
    let snap = read ? await read() : null;
    // A failed or missing request may still be counted by its worker: let the counters settle first.
    if (read && snap && (seen.records !== seen.ok || seen.records !== sent)) snap = await settle(read, snap);
    const ctx = spec.context?.(i, snap) ?? { explain: () => null, events: [] };
    // Cut short: the workers took requests the client then gave up on; that is the stop, not a loss.
    const why = `the run ${stopText(stop?.reason)}`;
    const context =
      stoppedIn === i ? { explain: (pid: number) => ctx.explain(pid) ?? `was cut off (${why})`, events: [...ctx.events, why] } : ctx;
    const r = reconcileRound(i, sent, seen, spec.workers(), prev, snap, wall, { ...context, lateCutOffs: uncounted });
    uncounted = r.uncounted ?? 0;
    rounds.push(r.round);
    problems.push(...r.problems);
    explained.push(...r.explained);
    prev = snap;
  }
  return { rounds, problems, explained, last: prev, ...(stoppedIn !== undefined && { stoppedIn }) };
}

/** Why the load ended before its last round, in words; undefined when it ran to the end. */
export function incompleteText(done: number, planned: number, stoppedIn: number | undefined, stop: AbortSignal): string | undefined {
  if (stoppedIn === undefined && done === planned) return undefined;
  const why = stopText(stop.reason);
  if (stoppedIn === undefined) return `${why} after round ${done} of ${planned}`;
  return planned === 1 ? `${why} during the load: it is partial` : `${why} in round ${stoppedIn} of ${planned}: that round is partial`;
}
