// What `npm run simulate` makes of a simulation besides its table: a calibrated strategy's own
// costs (--like), measured against simulated, and the result document report and compare read.

import { newRunId } from '../../format/io.js';
import { type EnvInfo, type MeasuredStrategy, type RunResult, SCHEMA_VERSION } from '../../format/schema.js';
import { median } from '../../format/stats.js';
import { alignedTable } from '../../reports/text.js';
import { fairness, jain } from '../../runner/metrics.js';
import { toolVersion } from '../../runner/run.js';
import { meanService, type SimOptions, type SimResult } from '../../sim/engine.js';
import type { SIMULATED, WakeOrder } from '../../sim/placement.js';
import { STRATEGIES, type StrategyName } from '../../strategies/registry.js';
import type { Calibration } from './sim-calibration.js';

/** `npm run simulate`'s options, parsed. */
export interface SimRequest {
  policies: Array<(typeof SIMULATED)[number]>;
  workers: number;
  rho: number;
  serviceMs: number;
  service: 'exp' | 'fixed' | 'mixed';
  requests: number;
  primaryMs: number;
  ipcMs: number;
  reportMs: number;
  cores: number;
  wake: WakeOrder;
  seed: number;
  out?: string;
  json: boolean;
  like?: Calibration;
  /** mixed: percent of requests that burn serviceMs. */
  percent?: number;
}

/** The utilization a calibrated run had: its rate over its workers, at the median measured cost per request. */
export function measuredUtilization(like: Calibration): number {
  const overheadMs = median([...like.strategies.values()].map((s) => s.overheadMs));
  return Math.min(0.99, (like.rate * meanService({ ...like, overheadMs })) / like.workers);
}

/**
 * A strategy's own measured costs (--like): its overhead per request, its primary's cost per
 * connection (none and reuseport: 0, the kernel places them), and the utilization its measured
 * rate makes at that cost. Without --like, nothing.
 */
export function calibrated(o: SimRequest, name: string): Partial<SimOptions> {
  const cal = o.like?.strategies.get(name);
  if (o.like === undefined || cal === undefined) return {};
  const like = o.like;
  return {
    overheadMs: cal.overheadMs,
    primaryMs: name === 'none' || name === 'reuseport' ? 0 : cal.primaryMs,
    rho: Math.min(0.99, (like.rate * meanService({ ...like, overheadMs: cal.overheadMs })) / like.workers),
  };
}

/** Measured against simulated, per strategy: Jain and p99, with the error. */
export function likeTable(o: SimRequest, results: ReadonlyArray<{ strategy: string; result: SimResult }>): string {
  const like = o.like as Calibration;
  const rows = results.map(({ strategy, result: r }) => {
    const cal = like.strategies.get(strategy);
    const reps = cal?.reps ?? [];
    const mJain = median(reps.map((s) => s.metrics.jain ?? 0));
    const mP99 = median(reps.map((s) => s.latencyMs?.p99 ?? Number.NaN));
    const err = (sim: number, meas: number): string => `${sim >= meas ? '+' : '−'}${Math.abs((sim / meas - 1) * 100).toFixed(0)}%`;
    return [
      strategy,
      `${((cal?.primaryMs ?? 0) * 1000).toFixed(0)} µs`,
      `${((cal?.overheadMs ?? 0) * 1000).toFixed(0)} µs`,
      mJain.toFixed(4),
      jain(r.served).toFixed(4),
      `${mP99.toFixed(1)} ms`,
      `${r.p99Ms.toFixed(1)} ms`,
      o.workers === like.workers ? err(r.p99Ms, mP99) : '(extrapolated)',
    ];
  });
  return [
    `  calibrated from ${like.run.runId} (${like.run.options.load} ${'rate' in like.run.options ? like.run.options.rate : ''} req/s, ${like.workers} workers, ${like.run.options.work}, ${like.cores} cores): utilization ${(o.rho * 100).toFixed(0)}%`,
    ...alignedTable(
      ['strategy', 'primary/conn', 'overhead/req', 'Jain measured', 'Jain simulated', 'p99 measured', 'p99 simulated', 'p99 error'],
      rows,
    )
      .split('\n')
      .map((l) => `  ${l}`),
  ].join('\n');
}

/**
 * The simulation as a result document (format/schema.ts), so report, compare and the charts read
 * it unchanged: an open load of `rate` req/s over the simulated span, one round, each strategy's
 * served counts and latency; `simulated` records the model and its settings.
 */
export function resultOf(o: SimRequest, results: ReadonlyArray<{ strategy: string; result: SimResult }>, env: EnvInfo): RunResult {
  const now = new Date();
  const rate = (o.rho * o.workers) / meanService(o); // per ms
  const strategies: MeasuredStrategy[] = results.map(({ strategy, result: r }) => {
    const def = STRATEGIES[strategy as StrategyName];
    const workers = r.served.map((_, i) => ({ id: i + 1, pid: 100_000 + i }));
    const byPid = Object.fromEntries(workers.map((w, i) => [String(w.pid), r.served[i]]));
    const latency = { p50: r.p50Ms, p90: r.p90Ms, p99: r.p99Ms, p999: r.p999Ms, max: r.maxMs, mean: r.meanMs };
    const top = Math.max(...r.served) / Math.max(1, r.requests);
    return {
      name: strategy,
      kind: def.kind,
      description: def.description,
      workers,
      totals: { sent: r.requests, ok: r.requests, errors: 0, mismatches: 0, accounted: true },
      perWorker: workers.map((w, i) => ({
        ...w,
        client: r.served[i],
        server: r.served[i],
        connections: r.served[i],
        share: r.requests === 0 ? 0 : r.served[i] / r.requests,
        latencyMs: null,
      })),
      rounds: [
        {
          index: 1,
          counts: byPid,
          server: byPid,
          connections: byPid,
          sent: r.requests,
          ok: r.requests,
          errors: 0,
          mismatches: 0,
          topShare: top,
          wallMs: r.spanMs,
        },
      ],
      metrics: fairness(r.served, [top]),
      latencyMs: latency,
      latencyCurve: [
        { p: 50, ms: r.p50Ms },
        { p: 90, ms: r.p90Ms },
        { p: 99, ms: r.p99Ms },
        { p: 99.9, ms: r.p999Ms },
      ],
      rps: r.spanMs > 0 ? Math.round((r.requests / r.spanMs) * 1000) : 0,
      wallMs: r.spanMs,
      cpuMs: { primary: 0, workers: 0 },
      errorsByCode: {},
      problems: [],
    };
  });
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'cluster-sched-bench', version: toolVersion() },
    runId: newRunId(now),
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    wallMs: 0,
    env,
    options: {
      policies: o.policies,
      workers: o.workers,
      server: 'simulated',
      work: o.service === 'exp' ? `exp:${o.serviceMs}` : o.service === 'mixed' ? `mixed:${o.percent}:${o.serviceMs}` : `cpu:${o.serviceMs}`,
      host: '127.0.0.1',
      port: 0,
      backlog: 4096,
      seed: o.seed,
      roundTimeoutMs: 0,
      out: o.out ?? '',
      runs: 1,
      load: 'open',
      rounds: 1,
      connections: 1,
      rate: Math.round(rate * 1000),
      duration: Math.max(1, Math.round((results[0]?.result.spanMs ?? 0) / 1000)),
    } as RunResult['options'],
    strategies,
    ok: true,
    simulated: {
      model:
        'npm run simulate: an open loop of fresh connections (Poisson), one request each, FIFO workers (sim/engine.ts, docs/simulate.md)',
      settings: {
        utilization: o.rho,
        service: o.service,
        serviceMs: o.serviceMs,
        primaryUs: o.primaryMs * 1000,
        ipcUs: o.ipcMs * 1000,
        reportUs: o.reportMs * 1000,
        cores: Number.isFinite(o.cores) ? o.cores : null,
        wake: o.wake,
        requests: o.requests,
      },
      calibration: o.like ? o.like.run.runId : null,
    },
  };
}
