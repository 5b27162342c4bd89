// Every load mode, by name: how many rounds it has and how to fire one. Adding a load mode: one
// file here, one line in this table, and its settings in format/schema.ts and runner/options.ts.
import type { LoadMode } from '../../format/schema.js';
import type { LoadOf, RunOptions } from '../options.js';
import { fireRound } from './burst.js';
import { runChurn } from './churn.js';
import { runOpen } from './open.js';
import { runSustained } from './sustained.js';
import type { LoadClock, LoadRound, Sink, Target } from './types.js';

export interface LoadDef<M extends LoadMode> {
  readonly description: string;
  /** Rounds reconciled separately: R for burst, 1 for the timed loads. */
  rounds(o: LoadOf<M>): number;
  /** Records go to `sink` as they finish. `stop` (the run stopping) ends the load early, nothing lost. */
  fire(target: Target, o: LoadOf<M>, round: number, clock: LoadClock, sink: Sink, stop?: AbortSignal): Promise<LoadRound>;
}

export const LOADS: { readonly [M in LoadMode]: LoadDef<M> } = {
  burst: {
    description: 'R rounds of C simultaneous requests, each on a fresh connection',
    rounds: (o) => o.rounds,
    fire: (t, o, round, clock, sink, stop) => fireRound(t, o.connections, round, o.roundTimeoutMs, clock, sink, stop),
  },
  sustained: {
    description: 'autocannon keep-alive, C connections for D seconds',
    rounds: () => 1,
    fire: (t, o, _r, clock, sink, stop) => runSustained(t, o.connections, o.duration, o.roundTimeoutMs, clock, sink, stop),
  },
  churn: {
    description: 'closed loop, C concurrent clients, a fresh connection per request, for D seconds',
    rounds: () => 1,
    fire: (t, o, _r, clock, sink, stop) => runChurn(t, o.connections, o.duration, o.roundTimeoutMs, clock, sink, stop),
  },
  open: {
    description: 'open loop at --rate requests/s on fresh connections for D seconds (latency from the scheduled time)',
    rounds: () => 1,
    fire: (t, o, _r, clock, sink, stop) => runOpen(t, o.rate, o.duration, o.roundTimeoutMs, clock, sink, stop),
  },
};

/** The load of `o`, bound to its options. */
export function loadFor(o: RunOptions): {
  rounds: number;
  fire(target: Target, round: number, clock: LoadClock, sink: Sink, stop?: AbortSignal): Promise<LoadRound>;
} {
  // LOADS is keyed by mode, so LOADS[o.load] takes o's own variant; TypeScript cannot correlate the two.
  const def = LOADS[o.load] as {
    rounds(o: RunOptions): number;
    fire(t: Target, o: RunOptions, r: number, c: LoadClock, s: Sink, stop?: AbortSignal): Promise<LoadRound>;
  };
  return { rounds: def.rounds(o), fire: (target, round, clock, sink, stop) => def.fire(target, o, round, clock, sink, stop) };
}
