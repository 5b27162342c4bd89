// Small hand-made results for the report tests: counts per round and worker in, a valid RunResult out.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type EnvInfo, type MeasuredStrategy, type RunResult, SCHEMA_VERSION } from '../../format/schema.js';
import { fairness, shares, topShare } from '../../runner/metrics.js';

/** A result whose strategies all ran (what every fixture here is). */
export type MeasuredRun = Omit<RunResult, 'strategies'> & { strategies: MeasuredStrategy[] };

export interface StrategySketch {
  name: string;
  /** counts[round][worker]: requests served, for workers with pids 1000+k of this strategy. */
  counts: number[][];
  /** Latency scale (ms): p50 = base, p99.9 = 4 x base. */
  base?: number;
  /** Pid of worker k is pidBase + k. */
  pidBase?: number;
}

const latency = (base: number) => ({ p50: base, p90: base * 2, p99: base * 3, p999: base * 4, max: base * 5, mean: base * 1.2 });

export function strategy({ name, counts, base = 10, pidBase = 1000 }: StrategySketch): MeasuredStrategy {
  const n = counts[0].length;
  const workers = Array.from({ length: n }, (_, k) => ({ id: k + 1, pid: pidBase + k }));
  const byPid = (row: number[]): Record<string, number> => Object.fromEntries(workers.map((w, k) => [String(w.pid), row[k]]));
  const rounds = counts.map((row, i) => {
    const sent = row.reduce((a, b) => a + b, 0);
    return {
      index: i + 1,
      counts: byPid(row),
      server: byPid(row),
      connections: byPid(row),
      sent,
      ok: sent,
      errors: 0,
      mismatches: 0,
      topShare: topShare(row),
      wallMs: 100,
    };
  });
  const totals = workers.map((_, k) => counts.reduce((a, row) => a + row[k], 0));
  const share = shares(totals);
  const sent = totals.reduce((a, b) => a + b, 0);
  return {
    name,
    kind: 'native',
    description: `${name} strategy`,
    workers,
    totals: { sent, ok: sent, errors: 0, mismatches: 0, accounted: true },
    perWorker: workers.map((w, k) => ({
      ...w,
      client: totals[k],
      server: totals[k],
      connections: totals[k],
      share: share[k],
      latencyMs: latency(base + k),
    })),
    rounds,
    metrics: fairness(
      totals,
      rounds.map((r) => r.topShare),
    ),
    latencyMs: latency(base),
    latencyCurve: [50, 90, 99, 99.9].map((p, i) => ({ p, ms: base * (i + 1) })),
    rps: 1000,
    wallMs: 100 * counts.length,
    cpuMs: { primary: 1, workers: 2 },
    errorsByCode: {},
    problems: [],
  };
}

export function run(strategies: StrategySketch[], env: Partial<EnvInfo> = {}, runId = '20260101-000000-abcd'): MeasuredRun {
  const s = strategies.map(strategy);
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'cluster-sched-bench', version: '0.0.0-test' },
    runId,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    wallMs: 1000,
    env: {
      platform: 'linux',
      release: '6.0.0',
      arch: 'x64',
      cpuModel: 'Test CPU',
      cores: 2,
      node: 'v20.20.2',
      hostname: 'testhost',
      schedPolicyEnv: null,
      openFileLimit: 20000,
      gitCommit: null,
      label: null,
      ...env,
    },
    options: {
      policies: s.map((x) => x.name),
      workers: s[0]?.workers.length ?? 2,
      connections: 10,
      rounds: strategies[0]?.counts.length ?? 0,
      load: 'burst',
      server: 'http',
      host: '127.0.0.1',
      port: 0,
      seed: 42,
      backlog: 4096,
      roundTimeoutMs: 10000,
      work: 'hello',
      out: 'results',
    },
    strategies: s,
    ok: true,
  };
}

/** Two strategies, two workers, two rounds: the smallest result with every chart. */
export const tiny = (env: Partial<EnvInfo> = {}, runId?: string): MeasuredRun =>
  run(
    [
      {
        name: 'rr',
        counts: [
          [5, 5],
          [6, 4],
        ],
      },
      {
        name: 'none',
        counts: [
          [9, 1],
          [10, 0],
        ],
        base: 20,
        pidBase: 2000,
      },
    ],
    env,
    runId,
  );

/** The default run's shape: four strategies, two workers, five rounds. */
export const fourStrategies = (env: Partial<EnvInfo> = {}, runId?: string): MeasuredRun =>
  run(
    [
      {
        name: 'rr',
        counts: [
          [52, 48],
          [49, 51],
          [50, 50],
          [55, 45],
          [47, 53],
        ],
      },
      {
        name: 'none',
        counts: [
          [70, 30],
          [20, 80],
          [90, 10],
          [35, 65],
          [60, 40],
        ],
        base: 8,
        pidBase: 2000,
      },
      {
        name: 'least-connections',
        counts: [
          [50, 50],
          [51, 49],
          [50, 50],
          [49, 51],
          [50, 50],
        ],
        base: 12,
        pidBase: 3000,
      },
      {
        name: 'random',
        counts: [
          [54, 46],
          [45, 55],
          [52, 48],
          [47, 53],
          [50, 50],
        ],
        base: 15,
        pidBase: 4000,
      },
    ],
    env,
    runId,
  );

/** A fresh temp folder. */
export const tempDir = (prefix = 'csb-report-'): string => mkdtempSync(path.join(os.tmpdir(), prefix));

/** `tempDir` for a suite that makes several: every folder it made is removed by `after` (pass the suite's `test.after`). */
export function tempDirsUntil(after: (hook: () => void) => void): (prefix?: string) => string {
  const made: string[] = [];
  after(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });
  return (prefix) => {
    const dir = tempDir(prefix);
    made.push(dir);
    return dir;
  };
}

/** Write `result` (or raw text) as DIR/result.json in a new folder under `parent`; returns the folder. */
export function runFolder(parent: string, name: string, result: RunResult | string, requestsCsv?: string): string {
  const dir = path.join(parent, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'result.json'), typeof result === 'string' ? result : JSON.stringify(result, null, 2));
  if (requestsCsv !== undefined) writeFileSync(path.join(dir, 'requests.csv'), requestsCsv);
  return dir;
}
