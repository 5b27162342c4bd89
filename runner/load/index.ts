// Every load mode, by name: how many rounds it has and how to fire one.
import type { LoadMode, RunOptions } from '../results.js';
import { fireRound } from './burst.js';
import { runChurn } from './churn.js';
import { runOpen } from './open.js';
import { runSustained } from './sustained.js';
import type { LoadClock, LoadRound, Target } from './types.js';

export interface LoadDef {
  readonly description: string;
  /** Rounds reconciled separately: R for burst, 1 for the timed loads. */
  rounds(o: RunOptions): number;
  fire(target: Target, o: RunOptions, round: number, clock: LoadClock): Promise<LoadRound>;
}

const seconds = (o: RunOptions): number => o.duration ?? 10;

export const LOADS: Record<LoadMode, LoadDef> = {
  burst: {
    description: 'R rounds of C simultaneous requests, each on a fresh connection',
    rounds: (o) => o.rounds,
    fire: (t, o, round, clock) => fireRound(t, o.connections, round, o.roundTimeoutMs, clock),
  },
  sustained: {
    description: 'autocannon keep-alive, C connections for D seconds',
    rounds: () => 1,
    fire: (t, o, _r, clock) => runSustained(t, o.connections, seconds(o), clock),
  },
  churn: {
    description: 'closed loop, C concurrent clients, a fresh connection per request, for D seconds',
    rounds: () => 1,
    fire: (t, o, _r, clock) => runChurn(t, o.connections, seconds(o), o.roundTimeoutMs, clock),
  },
  open: {
    description: 'open loop at --rate requests/s on fresh connections for D seconds (latency from the scheduled time)',
    rounds: () => 1,
    fire: (t, o, _r, clock) => runOpen(t, o.rate ?? 400, seconds(o), o.roundTimeoutMs, clock),
  },
};

export const LOAD_MODES = Object.keys(LOADS) as LoadMode[];
