// perf:dispatch's measurement: the userland dispatch mechanism against native SCHED_RR.
//
//   churn phase:  rep 1: rr, lc, random, none (each a fresh cluster) ... rep R
//   burst phase:  rep 1: rr, lc, random, none ... (listen overflows, p99)
//
// The box is shared and noisy, so strategies are interleaved and compared within a rep (the
// command prints the ratios). Every run goes through the runner's own `runStrategy` (same
// cluster, load and reconciliation code as `npm run bench`).
import type { MeasuredStrategy } from '../../format/schema.js';
import { type RunOptions, resolveOptions } from '../../runner/options.js';
import { runStrategy } from '../../runner/strategy-run.js';
import type { ServerName } from '../../servers/registry.js';
import type { StrategyName } from '../../strategies/registry.js';

export interface DispatchPerfOptions {
  policies: StrategyName[];
  reps: number;
  duration: number;
  workers: number;
  server: ServerName;
  connections: number;
  burstRounds: number;
  burstConnections: number;
  burstReps: number;
  seed: number;
  json: boolean;
}

export type Phase = 'churn' | 'burst';

/** One strategy run, reduced to what the tables need. */
export interface RunSample {
  phase: Phase;
  strategy: StrategyName;
  rep: number;
  rps: number;
  p99Ms: number;
  primaryMs: number;
  primaryPer10kConn: number;
  listenOverflows: number | null;
  sent: number;
  errors: number;
  accounted: boolean;
  problems: string[];
  errorsByCode: Record<string, number>;
}

export function phaseOptions(o: DispatchPerfOptions, phase: Phase): RunOptions {
  const common = { policies: o.policies, workers: o.workers, server: o.server, seed: o.seed };
  return phase === 'churn'
    ? resolveOptions({ ...common, load: 'churn', connections: o.connections, duration: o.duration })
    : resolveOptions({ ...common, load: 'burst', connections: o.burstConnections, rounds: o.burstRounds });
}

export function toSample(phase: Phase, strategy: StrategyName, rep: number, r: MeasuredStrategy): RunSample {
  return {
    phase,
    strategy,
    rep,
    rps: r.rps,
    p99Ms: r.latencyMs?.p99 ?? NaN,
    primaryMs: r.cpuMs.primary,
    primaryPer10kConn: r.cpuMs.primaryPer10kConn ?? NaN,
    listenOverflows: r.kernel?.listenOverflows ?? null,
    sent: r.totals.sent,
    errors: r.totals.errors,
    accounted: r.totals.accounted,
    problems: r.problems,
    errorsByCode: r.errorsByCode,
  };
}

/** `reps` interleaved repetitions of every strategy; `onRep` sees each repetition's samples. */
export async function runPhase(
  o: DispatchPerfOptions,
  phase: Phase,
  reps: number,
  onRep: (rep: number, samples: RunSample[]) => void,
): Promise<RunSample[]> {
  const opts = phaseOptions(o, phase);
  const out: RunSample[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const samples: RunSample[] = [];
    for (const name of o.policies) samples.push(toSample(phase, name, rep, (await runStrategy(name, opts)).result));
    out.push(...samples);
    onRep(rep, samples);
  }
  return out;
}
