// The simulator's own checks and predictions (docs/simulate.md):
//   theory    ideal settings against the queueing formulas
//   grid      every strategy at 8, 64 and 1024 workers, 50% and 90% load: Jain, top share, and p99
//             and p99.9 over the queueing floor (one central queue, no cost: M/G/N)
//   question  which strategy has the lowest p99 at 80% load when the primary costs what it was
//             measured to cost, at 8, 64 and 1024 workers
//   check     measured runs against their simulation (--like), strategy by strategy, and which
//             accept-race wake-up model fits none
import { median } from '../../format/stats.js';
import { jain } from '../../runner/metrics.js';
import type { Calibration } from '../../scripts/lib/sim-calibration.js';
import { parseSim } from '../../scripts/lib/sim-options.js';
import { measuredSummary, type SimRequest, simulateAll } from '../../scripts/lib/sim-result.js';
import { type Placement, poissonLoad, type SimOptions, type SimResult, simulate } from '../../sim/engine.js';
import { kernelPlaced, placementOf, type WakeOrder } from '../../sim/placement.js';
import { ekm1Response, mm1Quantile, mm1Response, mmnResponse, supermarketResponse } from '../../sim/theory.js';
import type { StrategyName } from '../../strategies/registry.js';

/** The strategies the grid and the question show: sticky (one client address: one worker) and the shared handle (none's model) left out. */
export const GRID_STRATEGIES = [
  'rr',
  'none',
  'reuseport',
  'random',
  'least-connections',
  'p2c',
  'least-requests',
  'proxy',
] as const satisfies readonly StrategyName[];

/** The grid's settings: what the pickers see, without the primary's cost (that is the question's). */
export interface GridSettings {
  sizes: number[];
  loads: number[];
  requests: number;
  /** Mean service, ms (exponential). */
  serviceMs: number;
  ipcMs: number;
  reportMs: number;
  seed: number;
}

export const GRID_DEFAULTS: GridSettings = {
  sizes: [8, 64, 1024],
  loads: [0.5, 0.9],
  requests: 400_000,
  serviceMs: 2,
  ipcMs: 0.05,
  reportMs: 0.2,
  seed: 1,
};

export interface GridCell {
  strategy: string;
  workers: number;
  load: number;
  jain: number;
  topShare: number;
  p99Ms: number;
  p999Ms: number;
  /** The same over the floor's. */
  p99x: number;
  p999x: number;
  /** Simulated requests per second of wall time. */
  speed: number;
}

const run = (
  s: GridSettings,
  workers: number,
  rho: number,
  placement: Placement,
  more: Partial<SimOptions> = {},
): { r: SimResult; speed: number } => {
  const t0 = performance.now();
  const r = simulate({
    workers,
    load: poissonLoad(rho, workers, s.serviceMs, s.requests, Math.floor(s.requests / 10)),
    service: 'exp',
    serviceMs: s.serviceMs,
    seed: s.seed,
    placement,
    primaryMs: 0,
    ipcMs: s.ipcMs,
    reportMs: s.reportMs,
    cores: workers + 2,
    ...more,
  });
  return { r, speed: s.requests / ((performance.now() - t0) / 1000) };
};

export function grid(s: GridSettings, progress: (line: string) => void = () => {}): GridCell[] {
  const cells: GridCell[] = [];
  for (const workers of s.sizes)
    for (const load of s.loads) {
      const floor = run(s, workers, load, { kind: 'central' }, { ipcMs: 0, reportMs: 0 }).r;
      for (const strategy of GRID_STRATEGIES) {
        const { r, speed } = run(s, workers, load, placementOf(strategy));
        cells.push({
          strategy,
          workers,
          load,
          jain: jain(r.served),
          topShare: Math.max(...r.served) / r.requests,
          p99Ms: r.p99Ms,
          p999Ms: r.p999Ms,
          p99x: r.p99Ms / floor.p99Ms,
          p999x: r.p999Ms / floor.p999Ms,
          speed,
        });
      }
      progress(`  ${workers} workers at ${load * 100}%: done (floor p99 ${floor.p99Ms.toFixed(2)} ms)`);
    }
  return cells;
}

export interface QuestionRow {
  strategy: string;
  primaryUs: number;
  /** Per size: p99 ms, or null when the primary cannot keep up (its queue grows without bound). */
  p99: Array<number | null>;
  p999: Array<number | null>;
}

/**
 * The question: 80% load, the work and each strategy's costs as measured in `like` (the load
 * generator left out: it is not on the server), a core per worker plus one each for the primary
 * and the load generator, at each size.
 */
export function question(
  like: Calibration,
  sizes: readonly number[],
  requests: number,
  seed: number,
  ipcMs: number,
  reportMs: number,
): QuestionRow[] {
  const rows: QuestionRow[] = [];
  for (const strategy of GRID_STRATEGIES) {
    const cal = like.strategies.get(strategy) ?? like.strategies.get(strategy === 'reuseport' ? 'shared-handle' : 'none');
    if (!cal) continue;
    const row: QuestionRow = { strategy, primaryUs: kernelPlaced(strategy) ? 0 : cal.primaryMs * 1000, p99: [], p999: [] };
    for (const workers of sizes) {
      const req = requestOf(like, strategy, workers, requests, seed, ipcMs, reportMs);
      const r = simulateAll(req)[0].result;
      // Saturated: the primary's queue grows, so the last requests wait far longer than the first.
      const saturated = r.meanMs > 50 * (req.serviceMs + req.costs.overheadMs + 1);
      row.p99.push(saturated ? null : r.p99Ms);
      row.p999.push(saturated ? null : r.p999Ms);
    }
    rows.push(row);
  }
  return rows;
}

/** simulate's request for one strategy of the question: 80% load, Poisson, at its measured costs (as the flags would give them). */
function requestOf(
  like: Calibration,
  strategy: StrategyName,
  workers: number,
  requests: number,
  seed: number,
  ipcMs: number,
  reportMs: number,
): SimRequest {
  const cal = like.strategies.get(strategy) ?? [...like.strategies.values()][0];
  return parseSim({
    policy: strategy,
    workers: String(workers),
    utilization: '80',
    requests: String(requests),
    work: like.work,
    'overhead-us': String(cal.overheadMs * 1000),
    'primary-us': String(cal.primaryMs * 1000),
    'ipc-us': String(ipcMs * 1000),
    'report-us': String(reportMs * 1000),
    seed: String(seed),
  });
}

export interface CheckRow {
  run: string;
  load: string;
  workers: number;
  strategy: string;
  measured: { jain: number; top: number; rps: number; p99: number; p99Min: number; p99Max: number };
  simulated: { jain: number; top: number; rps: number; p99: number };
}

/** A measured run against its simulation (--like), `runs` seeds per strategy. */
export function check(req: SimRequest): CheckRow[] {
  const like = req.like as Calibration;
  const reps = simulateAll(req);
  return req.policies.map((strategy) => {
    const sims = reps.filter((r) => r.strategy === strategy).map((r) => r.result);
    const measuredReps = like.strategies.get(strategy)?.reps ?? [];
    const m = measuredSummary(measuredReps);
    const p99s = measuredReps.map((s) => s.latencyMs?.p99 ?? Number.NaN);
    return {
      run: like.run.runId,
      load: like.load,
      workers: like.workers,
      strategy,
      measured: { ...m, p99Min: Math.min(...p99s), p99Max: Math.max(...p99s) },
      simulated: {
        jain: median(sims.map((r) => jain(r.served))),
        top: median(sims.map((r) => Math.max(...r.served) / r.requests)),
        rps: median(sims.map((r) => (r.requests / r.spanMs) * 1000)),
        p99: median(sims.map((r) => r.p99Ms)),
      },
    };
  });
}

/** none under each wake-up model (and a woken worker's accept cost): how close each comes to the measured Jain and top share. */
export function wakeFits(req: SimRequest, acceptUs: readonly number[]): Array<{ wake: WakeOrder; acceptUs: number; row: CheckRow }> {
  const out: Array<{ wake: WakeOrder; acceptUs: number; row: CheckRow }> = [];
  for (const wake of ['lifo', 'fifo', 'random'] as const)
    for (const a of acceptUs) out.push({ wake, acceptUs: a, row: check({ ...req, policies: ['none'], wake, acceptMs: a / 1000 })[0] });
  return out;
}

export interface TheoryRow {
  strategy: string;
  workers: number;
  load: number;
  reference: string;
  /** In mean service times. */
  theory: number;
  simulated: number;
  /** Cores, when fewer than a core each. */
  cores?: number;
}

/** Ideal settings (exponential service, Poisson arrivals, no cost) against the queueing formulas; times in mean service times. */
export function theory(requests: number, seed: number): TheoryRow[] {
  const cells: Array<{
    strategy: StrategyName;
    workers: number;
    load: number;
    reference: string;
    value: number;
    q?: number;
    cores?: number;
  }> = [
    { strategy: 'random', workers: 8, load: 0.5, reference: 'M/M/1 mean', value: mm1Response(0.5) },
    { strategy: 'random', workers: 8, load: 0.9, reference: 'M/M/1 mean', value: mm1Response(0.9) },
    { strategy: 'random', workers: 8, load: 0.9, reference: 'M/M/1 p99', value: mm1Quantile(0.9, 0.99), q: 99 },
    { strategy: 'reuseport', workers: 8, load: 0.8, reference: 'M/M/1 mean', value: mm1Response(0.8) },
    {
      strategy: 'proxy',
      workers: 8,
      load: 0.9,
      reference: 'E_N/M/1 mean (cyclic round robin; GI/M/1, Kleinrock 6.4)',
      value: ekm1Response(8, 0.9),
    },
    { strategy: 'p2c', workers: 8, load: 0.9, reference: 'supermarket d = 2 (Mitzenmacher 2001)', value: supermarketResponse(0.9) },
    { strategy: 'p2c', workers: 64, load: 0.9, reference: 'supermarket d = 2', value: supermarketResponse(0.9) },
    { strategy: 'p2c', workers: 1024, load: 0.9, reference: 'supermarket d = 2', value: supermarketResponse(0.9) },
    { strategy: 'least-connections', workers: 8, load: 0.95, reference: 'M/M/N mean (the floor)', value: mmnResponse(8, 0.95) },
    { strategy: 'least-connections', workers: 64, load: 0.95, reference: 'M/M/N mean (the floor)', value: mmnResponse(64, 0.95) },
    { strategy: 'least-requests', workers: 64, load: 0.95, reference: 'M/M/N mean', value: mmnResponse(64, 0.95) },
    { strategy: 'rr', workers: 8, load: 0.9, reference: 'M/M/N mean (core rr sits between it and E_N/M/1)', value: mmnResponse(8, 0.9) },
    {
      strategy: 'random',
      workers: 8,
      load: 0.1,
      reference: 'M/M/1 at the total load 0.8 (8 workers time-sharing 1 core)',
      value: mm1Response(0.8),
      cores: 1,
    },
  ];
  return cells.map((c) => {
    const r = simulate({
      workers: c.workers,
      load: poissonLoad(c.load, c.workers, 1, requests, Math.floor(requests / 10)),
      service: 'exp',
      serviceMs: 1,
      seed,
      placement: placementOf(c.strategy),
      primaryMs: 0,
      ipcMs: 0,
      reportMs: 0,
      burn: 'cpu', // the models' service is CPU work: it stretches when cores are short
      ...(c.cores !== undefined && { cores: c.cores }),
    });
    return {
      strategy: c.strategy,
      workers: c.workers,
      load: c.load,
      reference: c.reference,
      theory: c.value,
      simulated: c.q === 99 ? r.p99Ms : r.meanMs,
      ...(c.cores !== undefined && { cores: c.cores }),
    };
  });
}
