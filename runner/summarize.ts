// From reconciled rounds and client records to one strategy's result. Pure.
import type { Snapshot } from './cluster/protocol.js';
import type { RequestRecord } from './load/types.js';
import { fairness, latencySummary, shares } from './metrics.js';
import type { RoundResult, StrategyResult, WorkerRef } from './results.js';

export interface StrategyRaw {
  name: string;
  kind: StrategyResult['kind'];
  description: string;
  workers: WorkerRef[];
  rounds: RoundResult[];
  records: RequestRecord[];
  problems: string[];
  /** Snapshots before the first and after the last round (CPU deltas). */
  first: Snapshot;
  last: Snapshot;
  loadGenCpuUs: number;
  kernel?: StrategyResult['kernel'];
}

const ms1 = (us: number): number => Math.round(us / 100) / 10;

export function summarize(raw: StrategyRaw): StrategyResult {
  const { workers, rounds, records } = raw;
  const sumOver = (key: 'counts' | 'server' | 'connections', pid: number): number =>
    rounds.reduce((a, r) => a + (r[key][pid] ?? 0), 0);
  const client = workers.map((w) => sumOver('counts', w.pid));
  const share = shares(client);
  const okLatency = (pid?: number): number[] =>
    records.filter((r) => r.error === null && (pid === undefined || r.pid === pid)).map((r) => r.latencyUs);
  const perWorker = workers.map((w, i) => ({
    id: w.id,
    pid: w.pid,
    client: client[i],
    server: sumOver('server', w.pid),
    connections: sumOver('connections', w.pid),
    share: share[i],
    latencyMs: latencySummary(okLatency(w.pid)).summary,
  }));
  const sent = rounds.reduce((a, r) => a + r.sent, 0);
  const ok = rounds.reduce((a, r) => a + r.ok, 0);
  const errors = rounds.reduce((a, r) => a + r.errors, 0);
  const mismatches = rounds.reduce((a, r) => a + r.mismatches, 0);
  const errorsByCode: Record<string, number> = {};
  for (const r of records) if (r.error !== null) errorsByCode[r.error] = (errorsByCode[r.error] ?? 0) + 1;
  const wallMs = rounds.reduce((a, r) => a + r.wallMs, 0);
  const { summary, curve } = latencySummary(okLatency());
  const cpuDelta = (pid: number): number =>
    (raw.last.workers.find((w) => w.pid === pid)?.cpuUs ?? 0) - (raw.first.workers.find((w) => w.pid === pid)?.cpuUs ?? 0);
  const accounted = sent === ok + errors && raw.problems.length === 0;
  return {
    name: raw.name,
    kind: raw.kind,
    description: raw.description,
    workers,
    totals: { sent, ok, errors, mismatches, accounted },
    perWorker,
    rounds,
    metrics: fairness(client, rounds.map((r) => r.topShare)),
    latencyMs: summary,
    latencyCurve: curve,
    rps: wallMs === 0 ? 0 : Math.round((ok / wallMs) * 1000),
    wallMs: Math.round(wallMs),
    cpuMs: {
      primary: ms1(raw.last.primaryCpuUs - raw.first.primaryCpuUs),
      workers: ms1(workers.reduce((a, w) => a + cpuDelta(w.pid), 0)),
      loadGen: ms1(raw.loadGenCpuUs),
    },
    errorsByCode,
    problems: raw.problems,
    ...(raw.kernel && { kernel: raw.kernel }),
    ...(raw.last.dispatch && { dispatch: raw.last.dispatch }),
  };
}
