// `simulate --like RUN`: the settings of a measured run, read from its result, for the simulator.
// From the run: workers, the open loop's rate, the work profile (the service's shape), per
// strategy the worker CPU per request (its fixed overhead beyond the work: HTTP, the response)
// and the primary's CPU per connection (its dispatch cost), and the cores of the machine.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../format/errors.js';
import { RESULT_FILE, readResult } from '../../format/io.js';
import { type MeasuredStrategy, measured, type RunResult } from '../../format/schema.js';
import { median } from '../../format/stats.js';
import { parseWork } from '../../servers/work.js';

export interface Calibration {
  run: RunResult;
  workers: number;
  /** Requests per ms of the open loop. */
  rate: number;
  service: 'exp' | 'fixed' | 'mixed';
  serviceMs: number;
  percent?: number;
  cores: number;
  /** Per strategy: fixed overhead per request and the primary's cost per connection, ms; and what was measured. */
  strategies: Map<string, { overheadMs: number; primaryMs: number; reps: MeasuredStrategy[] }>;
}

const bad = (file: string, why: string): never => {
  throw new UsageError(`invalid --like '${file}': ${why}`);
};

export function calibrationOf(file: string): Calibration {
  if (!existsSync(file)) return bad(file, 'no such file or folder');
  const run = readResult(statSync(file).isDirectory() ? path.join(file, RESULT_FILE) : file);
  const o = run.options;
  if (o.load !== 'open' || !('rate' in o))
    return bad(file, `only open-loop runs (--load open) can be simulated so far; this one is ${o.load}`);
  if (run.simulated !== undefined) return bad(file, 'it is a simulated run; give a measured one');
  const work = parseWork(o.work);
  if (work.kind === 'io') return bad(file, 'io work waits instead of working: the simulator models CPU-bound service');
  const service = work.kind === 'exp' ? 'exp' : work.kind === 'mixed' ? 'mixed' : 'fixed';
  const serviceMs = work.kind === 'hello' ? 0 : work.ms;
  const workMean = work.kind === 'mixed' ? (work.percent / 100) * work.ms : serviceMs;
  const strategies: Calibration['strategies'] = new Map();
  const all = measured(run.strategies).filter((s) => s.variant === undefined || s.variant === 'current');
  for (const name of new Set(all.map((s) => s.name))) {
    const reps = all.filter((s) => s.name === name);
    const perReq = median(reps.map((s) => s.cpuMs.workers / Math.max(1, s.totals.ok)));
    const perConn = median(
      reps.map(
        (s) =>
          s.cpuMs.primary /
          Math.max(
            1,
            s.perWorker.reduce((a, w) => a + w.connections, 0),
          ),
      ),
    );
    strategies.set(name, { overheadMs: Math.max(0, perReq - workMean), primaryMs: perConn, reps });
  }
  return {
    run,
    workers: o.workers,
    rate: o.rate / 1000,
    service,
    serviceMs,
    ...(work.kind === 'mixed' && { percent: work.percent }),
    cores: run.env.cores,
    strategies,
  };
}
