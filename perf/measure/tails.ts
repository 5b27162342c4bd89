// perf:tails' measurement: tail latency under mixed work in an open loop, at two utilizations.
//
//   capacity:  rr under a closed loop (churn) with the same work: what rr sustains here, req/s
//   per level (e.g. 50% and 80% of it), rep 1..R: every strategy in turn (interleaved), each a
//   fresh cluster, open loop at level x capacity for D seconds -> p99, p99.9 (and timed out)
//
// Open loop, so a stalled worker cannot slow the arrivals down and hide its queue: latency counts
// from each request's scheduled time. Every run goes through the runner's own runStrategy.

import { resolveOptions } from '../../runner/options.js';
import { runStrategy } from '../../runner/strategy-run.js';
import type { ServerName } from '../../servers/registry.js';
import type { WorkProfile } from '../../servers/work.js';
import type { StrategyName } from '../../strategies/registry.js';

export interface TailsOptions {
  policies: StrategyName[];
  /** Fractions of rr's capacity, e.g. [0.5, 0.8]. */
  levels: number[];
  reps: number;
  duration: number;
  workers: number;
  server: ServerName;
  work: WorkProfile;
  seed: number;
  /** Node binary of the clusters (--node), e.g. for reuseport. */
  node?: string;
  /** Skip the capacity run: use this rate (req/s) as 100%. */
  capacity?: number;
  /** Print every sample as JSON on stdout. */
  json: boolean;
}

export interface TailSample {
  level: number;
  rate: number;
  strategy: StrategyName;
  rep: number;
  p99: number;
  p999: number;
  timedOut: number;
  sent: number;
  errors: number;
  accounted: boolean;
}

/** What rr sustains with this work: completed requests per second of a closed loop (64 clients on fresh connections). */
export async function measureCapacity(o: TailsOptions): Promise<number> {
  const opts = resolveOptions({
    policies: ['rr'],
    workers: o.workers,
    server: o.server,
    work: o.work,
    seed: o.seed,
    load: 'churn',
    connections: 64,
    duration: Math.max(3, Math.min(o.duration, 8)),
    ...(o.node !== undefined && { node: o.node }),
  });
  return (await runStrategy('rr', opts)).result.rps;
}

/** Every level x rep x strategy, interleaved within a rep; `onRun` sees each sample as it lands. */
export async function runTails(o: TailsOptions, capacity: number, onRun: (s: TailSample) => void): Promise<TailSample[]> {
  const out: TailSample[] = [];
  for (const level of o.levels) {
    const rate = Math.max(1, Math.round(level * capacity));
    for (let rep = 1; rep <= o.reps; rep++) {
      for (const name of o.policies) {
        const opts = resolveOptions({
          policies: [name],
          workers: o.workers,
          server: o.server,
          work: o.work,
          seed: o.seed + rep - 1,
          load: 'open',
          rate,
          duration: o.duration,
          ...(o.node !== undefined && { node: o.node }),
        });
        const { result: r } = await runStrategy(name, opts);
        const s: TailSample = {
          level,
          rate,
          strategy: name,
          rep,
          p99: r.latencyMs?.p99 ?? NaN,
          p999: r.latencyMs?.p999 ?? NaN,
          timedOut: r.timedOut ?? 0,
          sent: r.totals.sent,
          errors: r.totals.errors,
          accounted: r.totals.accounted,
        };
        out.push(s);
        onRun(s);
      }
    }
  }
  return out;
}
