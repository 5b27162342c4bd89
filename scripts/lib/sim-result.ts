// What `npm run simulate` makes of its flags and its simulations: each strategy's costs (given, or
// measured with --like), the load as the engine runs it, the tables, and the result document that
// report and compare read.
import { newRunId } from '../../format/io.js';
import type { LoadMode } from '../../format/loads.js';
import { type EnvInfo, type MeasuredStrategy, type RunResult, SCHEMA_VERSION } from '../../format/schema.js';
import { median } from '../../format/stats.js';
import { alignedTable } from '../../reports/text.js';
import { fairness, jain } from '../../runner/metrics.js';
import { toolVersion } from '../../runner/run.js';
import { meanService, poissonLoad, type SimLoad, type SimOptions, type SimResult, simulate } from '../../sim/engine.js';
import { kernelPlaced, placementOf, type WakeOrder } from '../../sim/placement.js';
import { STRATEGIES, type StrategyName } from '../../strategies/registry.js';
import type { UserStrategy } from '../../strategies/types.js';
import type { Calibration, Costs } from './sim-calibration.js';

/** `npm run simulate`'s options, parsed. */
export interface SimRequest {
  policies: StrategyName[];
  /** --strategy-file: simulated after the built-in ones. */
  user?: UserStrategy;
  workers: number;
  load: LoadMode;
  connections: number;
  rounds: number;
  /** Seconds (churn, sustained, open with --rate). */
  duration: number;
  /** open: requests per second on the bench's fixed schedule; absent: Poisson at `rho`. */
  rate?: number;
  /** open without --rate: offered load per worker (0..1), Poisson arrivals, `requests` of them (10% warm-up). */
  rho: number;
  requests: number;
  /** The work profile, as --work. */
  work: string;
  service: SimOptions['service'];
  serviceMs: number;
  percent?: number;
  /** Given costs (--like: each strategy's measured ones instead), ms. */
  costs: Costs;
  ipcMs: number;
  reportMs: number;
  acceptMs: number;
  cores: number;
  wake: WakeOrder;
  clientAddrs: number;
  seed: number;
  runs: number;
  out?: string;
  json: boolean;
  like?: Calibration;
}

/** One strategy's simulated repetition. */
export interface SimRep {
  strategy: string;
  /** 0-based repetition (seed + rep). */
  rep: number;
  result: SimResult;
  seconds: number;
}

/** A strategy's costs: measured (--like) or given; the kernel's placements never pass the primary. */
export function costsOf(o: SimRequest, name: string): Costs {
  const c = o.like?.strategies.get(name) ?? o.costs;
  return { overheadMs: c.overheadMs, primaryMs: kernelPlaced(name) ? 0 : c.primaryMs, clientMs: c.clientMs };
}

/** The mean cost of a request at a worker, ms: the work and the overhead. */
export const requestMs = (o: SimRequest, costs: Costs): number => meanService({ ...o, overheadMs: costs.overheadMs });

/** The load as the engine runs it. */
export function simLoadOf(o: SimRequest, costs: Costs): SimLoad {
  if (o.load === 'burst') return { kind: 'burst', connections: o.connections, rounds: o.rounds };
  if (o.load === 'churn' || o.load === 'sustained') return { kind: o.load, connections: o.connections, durationMs: o.duration * 1000 };
  if (o.rate !== undefined)
    return { kind: 'open', arrivals: 'fixed', rate: o.rate / 1000, requests: Math.max(1, Math.floor(o.rate * o.duration)), warmup: 0 };
  return poissonLoad(o.rho, o.workers, requestMs(o, costs), o.requests, Math.floor(o.requests / 10));
}

/**
 * The worker overhead that reproduces the measured worker CPU (--like). The servers' work burns wall
 * time, so a worker short of a core gets less CPU than the burn's length, and the measured CPU per
 * request minus the work undercounts the overhead (to 0 at 4 workers on 2 cores). Simulated at the
 * run's own settings, the overhead moves by what the simulated workers' CPU per request misses, three
 * times (it settles within a few µs); every strategy's calibration then carries it.
 */
export function fitOverhead(o: SimRequest): void {
  const like = o.like;
  if (like === undefined || like.overhead === 'fitted') return;
  const atRun: SimRequest = {
    ...o,
    policies: o.policies.filter((n) => like.strategies.has(n)),
    workers: like.workers,
    cores: like.cores,
    load: like.load,
    connections: like.connections,
    rounds: like.rounds,
    duration: like.duration,
    ...(like.load === 'open' && { rate: like.rate }),
    runs: 1,
  };
  let overheadMs = [...like.strategies.values()][0].overheadMs;
  for (let i = 0; i < 3; i++) {
    for (const c of like.strategies.values()) c.overheadMs = overheadMs;
    const reps = simulateAll(atRun);
    const simulated =
      reps.reduce((a, r) => a + r.result.cpuMs.workers, 0) /
      Math.max(
        1,
        reps.reduce((a, r) => a + r.result.requests, 0),
      );
    overheadMs = Math.max(0, overheadMs + like.workerCpuMs - simulated);
  }
  for (const c of like.strategies.values()) c.overheadMs = overheadMs;
  like.overhead = 'fitted';
}

/** Every strategy, `runs` times each (seed, seed + 1, ...), interleaved as the bench runs them. */
export function simulateAll(o: SimRequest): SimRep[] {
  const reps: SimRep[] = [];
  const names: Array<StrategyName | UserStrategy> = [...o.policies, ...(o.user ? [o.user] : [])];
  for (let rep = 0; rep < o.runs; rep++)
    for (const s of names) {
      const strategy = typeof s === 'string' ? s : s.name;
      const costs = costsOf(o, strategy);
      const t0 = performance.now();
      const result = simulate({
        workers: o.workers,
        load: simLoadOf(o, costs),
        service: o.service,
        serviceMs: o.serviceMs,
        ...(o.percent !== undefined && { percent: o.percent }),
        overheadMs: costs.overheadMs,
        primaryMs: costs.primaryMs,
        clientMs: costs.clientMs,
        ipcMs: o.ipcMs,
        reportMs: o.reportMs,
        acceptMs: o.acceptMs,
        cores: o.cores,
        clientAddrs: o.clientAddrs,
        seed: (o.seed + rep) >>> 0,
        placement: placementOf(s, o.wake),
      });
      reps.push({ strategy, rep, result, seconds: (performance.now() - t0) / 1000 });
    }
  return reps;
}

const topShare = (r: SimResult): number => Math.max(...r.served) / Math.max(1, r.requests);
const rpsOf = (r: SimResult): number => (r.spanMs > 0 ? (r.requests / r.spanMs) * 1000 : 0);

/** Per strategy, the median over repetitions of what the table shows. */
function summary(
  reps: readonly SimRep[],
): Array<{ strategy: string; jain: number; top: number; rps: number; r: SimResult[]; speed: number }> {
  const names = [...new Set(reps.map((r) => r.strategy))];
  return names.map((strategy) => {
    const mine = reps.filter((r) => r.strategy === strategy);
    const rs = mine.map((m) => m.result);
    return {
      strategy,
      jain: median(rs.map((r) => jain(r.served))),
      top: median(rs.map(topShare)),
      rps: median(rs.map(rpsOf)),
      r: rs,
      speed: mine.reduce((a, m) => a + m.result.requests, 0) / mine.reduce((a, m) => a + m.seconds, 0),
    };
  });
}

/** The table of a simulation: per strategy, medians over repetitions. */
export function simTable(reps: readonly SimRep[]): string {
  return alignedTable(
    ['strategy', 'Jain', 'top share', 'req/s', 'mean ms', 'p50 ms', 'p99 ms', 'p99.9 ms', 'simulated req/s'],
    summary(reps).map((s) => [
      s.strategy,
      s.jain.toFixed(4),
      `${(s.top * 100).toFixed(1)}%`,
      Math.round(s.rps).toString(),
      median(s.r.map((r) => r.meanMs)).toFixed(2),
      median(s.r.map((r) => r.p50Ms)).toFixed(2),
      median(s.r.map((r) => r.p99Ms)).toFixed(2),
      median(s.r.map((r) => r.p999Ms)).toFixed(2),
      `${(s.speed / 1e6).toFixed(2)} M`,
    ]),
  );
}

const err = (sim: number, meas: number): string =>
  Number.isFinite(meas) && meas > 0 ? `${sim >= meas ? '+' : '−'}${Math.abs((sim / meas - 1) * 100).toFixed(0)}%` : '—';

/** The measured repetitions' medians, per strategy: what the like-table and the check scripts compare with. */
export function measuredSummary(reps: readonly MeasuredStrategy[]): { jain: number; top: number; rps: number; p99: number } {
  return {
    jain: median(reps.map((s) => s.metrics.jain ?? Number.NaN)),
    top: median(reps.map((s) => Math.max(...s.perWorker.map((w) => w.share)))),
    rps: median(reps.map((s) => s.rps)),
    p99: median(reps.map((s) => s.latencyMs?.p99 ?? Number.NaN)),
  };
}

/** Measured (--like) against simulated, per strategy: Jain, top share, req/s and p99, with the errors. */
export function likeTable(o: SimRequest, reps: readonly SimRep[]): string {
  const like = o.like as Calibration;
  const same = o.workers === like.workers;
  const rows = summary(reps).map((s) => {
    const cal = like.strategies.get(s.strategy);
    const m = measuredSummary(cal?.reps ?? []);
    const p99 = median(s.r.map((r) => r.p99Ms));
    const c = costsOf(o, s.strategy);
    return [
      s.strategy,
      `${(c.primaryMs * 1000).toFixed(0)}/${(c.overheadMs * 1000).toFixed(0)}/${(c.clientMs * 1000).toFixed(0)}`,
      `${m.jain.toFixed(3)} / ${s.jain.toFixed(3)}`,
      `${(m.top * 100).toFixed(1)} / ${(s.top * 100).toFixed(1)}%`,
      `${Math.round(m.rps)} / ${Math.round(s.rps)}`,
      same ? err(s.rps, m.rps) : '',
      `${m.p99.toFixed(1)} / ${p99.toFixed(1)}`,
      same ? err(p99, m.p99) : '(extrapolated)',
    ];
  });
  return [
    `  calibrated from ${like.run.runId} (${like.load}, ${like.workers} workers, ${like.work}, ${like.cores} cores); costs in µs: primary per connection / worker overhead per request / load generator per request`,
    ...alignedTable(
      ['strategy', 'costs µs', 'Jain meas / sim', 'top share', 'req/s meas / sim', 'error', 'p99 ms meas / sim', 'error'],
      rows,
    )
      .split('\n')
      .map((l) => `  ${l}`),
  ].join('\n');
}

/**
 * The simulation as a result document (format/schema.ts), so report, compare and the charts read
 * it unchanged: the load as simulated, each repetition of each strategy with its served counts,
 * rounds, latency and CPU; `simulated` records the model, its settings and the calibration.
 */
export function resultOf(o: SimRequest, reps: readonly SimRep[], env: EnvInfo): RunResult {
  const now = new Date();
  const strategies: MeasuredStrategy[] = reps.map(({ strategy, result: r, rep }) => {
    const def = o.user && strategy === o.user.name ? o.user : STRATEGIES[strategy as StrategyName];
    const workers = r.served.map((_, i) => ({ id: i + 1, pid: 100_000 + i }));
    const byPid = (xs: readonly number[]): Record<string, number> => Object.fromEntries(workers.map((w, i) => [String(w.pid), xs[i]]));
    const top = topShare(r);
    const roundMs = r.spanMs / Math.max(1, r.rounds.length);
    return {
      name: strategy,
      kind: def.kind,
      description: def.description,
      ...(o.runs > 1 && { rep: rep + 1 }),
      ...(o.user && strategy === o.user.name && { source: { file: o.user.file, sha256: o.user.sha256 } }),
      workers,
      totals: { sent: r.requests, ok: r.requests, errors: 0, mismatches: 0, accounted: true },
      perWorker: workers.map((w, i) => ({
        ...w,
        client: r.served[i],
        server: r.served[i],
        connections: r.connections[i],
        share: r.requests === 0 ? 0 : r.served[i] / r.requests,
        latencyMs: null,
      })),
      rounds: r.rounds.map((counts, i) => {
        const sent = counts.reduce((a, x) => a + x, 0);
        return {
          index: i + 1,
          counts: byPid(counts),
          server: byPid(counts),
          connections: byPid(counts),
          sent,
          ok: sent,
          errors: 0,
          mismatches: 0,
          topShare: sent === 0 ? 0 : Math.max(...counts) / sent,
          wallMs: roundMs,
        };
      }),
      metrics: fairness(r.served, [top]),
      latencyMs: { p50: r.p50Ms, p90: r.p90Ms, p99: r.p99Ms, p999: r.p999Ms, max: r.maxMs, mean: r.meanMs },
      latencyCurve: [
        { p: 50, ms: r.p50Ms },
        { p: 90, ms: r.p90Ms },
        { p: 99, ms: r.p99Ms },
        { p: 99.9, ms: r.p999Ms },
      ],
      rps: Math.round(rpsOf(r)),
      wallMs: r.spanMs,
      cpuMs: { primary: r.cpuMs.primary, workers: r.cpuMs.workers, loadGen: r.cpuMs.client },
      errorsByCode: {},
      problems: [],
    };
  });
  const first = reps[0]?.result;
  const rate = o.load === 'open' ? (o.rate ?? Math.round((first ? rpsOf(first) : 0) || 1)) : undefined;
  const duration =
    o.load === 'burst'
      ? undefined
      : o.load === 'open' && o.rate === undefined
        ? Math.max(1, Math.round((first?.spanMs ?? 0) / 1000))
        : o.duration;
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'cluster-sched-bench', version: toolVersion() },
    runId: newRunId(now),
    startedAt: now.toISOString(),
    finishedAt: now.toISOString(),
    wallMs: 0,
    env,
    options: {
      policies: [...o.policies, ...(o.user ? [o.user.name] : [])],
      workers: o.workers,
      server: 'simulated',
      work: o.work,
      host: '127.0.0.1',
      port: 0,
      backlog: 4096,
      seed: o.seed,
      roundTimeoutMs: 0,
      out: o.out ?? '',
      runs: o.runs,
      load: o.load,
      rounds: o.load === 'burst' ? o.rounds : 1,
      connections: o.connections,
      ...(duration !== undefined && { duration }),
      ...(rate !== undefined && { rate }),
      ...(o.clientAddrs > 1 && { clientAddrs: o.clientAddrs }),
      ...(o.user && { strategyFile: o.user.file }),
    } as RunResult['options'],
    strategies,
    ok: true,
    simulated: {
      model:
        'npm run simulate: the load, the primary, the workers and the load generator as processes on shared cores, the real pickers (sim/engine.ts, docs/simulate.md)',
      settings: {
        arrivals: o.load === 'open' ? (o.rate === undefined ? 'poisson' : 'fixed') : 'closed loop',
        ...(o.load === 'open' && o.rate === undefined && { utilization: o.rho, requests: o.requests }),
        work: o.work,
        overheadUs: o.costs.overheadMs * 1000,
        primaryUs: o.costs.primaryMs * 1000,
        clientUs: o.costs.clientMs * 1000,
        ipcUs: o.ipcMs * 1000,
        reportUs: o.reportMs * 1000,
        acceptUs: o.acceptMs * 1000,
        cores: Number.isFinite(o.cores) ? o.cores : null,
        wake: o.wake,
      },
      calibration: o.like ? o.like.run.runId : null,
    },
  };
}
