// `simulate --like RUN`: a measured run's settings and costs, read from its result, for the
// simulator. From the run: workers, the load and its settings, the work profile (the service's
// shape), the client addresses, the machine's cores; per strategy the worker CPU per request
// beyond the work (HTTP, the response), the primary's CPU per connection and the load generator's
// CPU per request.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../format/errors.js';
import { RESULT_FILE, readResult } from '../../format/io.js';
import type { LoadMode } from '../../format/loads.js';
import { type MeasuredStrategy, measured, type RunResult } from '../../format/schema.js';
import { median } from '../../format/stats.js';
import { parseWork } from '../../servers/work.js';

/** A strategy's measured costs, ms. */
export interface Costs {
  /** Worker CPU per request beyond the work (pooled over the run's strategies). */
  overheadMs: number;
  /** Primary CPU per connection the workers took. */
  primaryMs: number;
  /** Load-generator CPU per request. */
  clientMs: number;
}

export interface Calibration {
  run: RunResult;
  workers: number;
  load: LoadMode;
  connections: number;
  rounds: number;
  /** Seconds (timed loads). */
  duration: number;
  /** Requests per second (open). */
  rate: number;
  work: string;
  clientAddrs: number;
  cores: number;
  /** Worker CPU per request, pooled over every repetition of every strategy, ms: what the fitted overhead must reproduce. */
  workerCpuMs: number;
  /** The worker overhead: `fitted` once simulate has matched the measured worker CPU (fitOverhead), else the first estimate. */
  overhead: 'estimated' | 'fitted';
  /** Per strategy: its costs and what was measured. */
  strategies: Map<string, Costs & { reps: MeasuredStrategy[] }>;
}

const bad = (file: string, why: string): never => {
  throw new UsageError(`invalid --like '${file}': ${why}`);
};

export function calibrationOf(file: string): Calibration {
  if (!existsSync(file)) return bad(file, 'no such file or folder');
  const run = readResult(statSync(file).isDirectory() ? path.join(file, RESULT_FILE) : file);
  const o = run.options;
  if (run.simulated !== undefined) return bad(file, 'it is a simulated run; give a measured one');
  if ('target' in o && o.target !== undefined) return bad(file, 'it measured a --target, not a cluster this tool started');
  const work = parseWork(o.work);
  const workMean = work.kind === 'hello' || work.kind === 'io' ? 0 : work.kind === 'mixed' ? (work.percent / 100) * work.ms : work.ms;
  const strategies: Calibration['strategies'] = new Map();
  const all = measured(run.strategies).filter((s) => s.variant === undefined || s.variant === 'current');
  const per = (reps: MeasuredStrategy[], f: (s: MeasuredStrategy) => number): number => median(reps.map(f));
  // A worker's cost per request beyond the work is the server's, not the strategy's: pooled over every
  // repetition of every strategy (one repetition's work mean wanders with mixed work: 10% of 2,400 requests).
  // A first estimate: the work burns wall time, so where workers outnumber cores it gets less CPU than
  // its length and this undercounts; simulate fits it (fitOverhead in sim-result.ts).
  const pooled =
    all.reduce((a, s) => a + s.cpuMs.workers, 0) /
    Math.max(
      1,
      all.reduce((a, s) => a + s.totals.ok, 0),
    );
  const overheadMs = Math.max(0, pooled - workMean);
  for (const name of new Set(all.map((s) => s.name))) {
    const reps = all.filter((s) => s.name === name);
    const ok = (s: MeasuredStrategy): number => Math.max(1, s.totals.ok);
    const conns = (s: MeasuredStrategy): number =>
      Math.max(
        1,
        s.perWorker.reduce((a, w) => a + w.connections, 0),
      );
    strategies.set(name, {
      overheadMs,
      primaryMs: per(reps, (s) => s.cpuMs.primary / conns(s)),
      clientMs: per(reps, (s) => (s.cpuMs.loadGen ?? 0) / ok(s)),
      reps,
    });
  }
  if (strategies.size === 0) return bad(file, 'it has no measured strategy');
  return {
    run,
    workers: o.workers,
    load: o.load,
    connections: o.connections,
    rounds: o.rounds,
    duration: 'duration' in o ? o.duration : 0,
    rate: 'rate' in o ? o.rate : 0,
    work: o.work,
    clientAddrs: o.clientAddrs ?? 1,
    cores: run.env.cores,
    workerCpuMs: pooled,
    overhead: 'estimated',
    strategies,
  };
}
