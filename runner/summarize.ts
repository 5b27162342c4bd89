// From reconciled rounds and the client's tally to one strategy's result. Pure.
import type { MeasuredStrategy, RoundResult, WorkerEvent, WorkerRef } from '../format/schema.js';
import { hotWorker } from '../format/stats.js';
import type { Snapshot } from './cluster/protocol.js';
import { DEADLINE } from './load/request.js';
import { RUN_DEADLINE } from './load/types.js';
import { fairness, shares } from './metrics.js';
import type { Tally } from './tally.js';

export interface StrategyRaw {
  name: string;
  kind: MeasuredStrategy['kind'];
  description: string;
  workers: WorkerRef[];
  rounds: RoundResult[];
  /** Every client record of the strategy, aggregated (tally.ts). */
  tally: Tally;
  problems: string[];
  /** Snapshots before the first and after the last round (CPU deltas). */
  first: Snapshot;
  last: Snapshot;
  loadGenCpuUs: number;
  /** Wall time of the whole load including gaps between rounds, ms (for CPU shares). */
  loadWallMs: number;
  kernel?: MeasuredStrategy['kernel'];
  /** CPU of each load-generator process (--clients > 1), ms; empty when the runner generated the load. */
  clientCpuMs?: number[];
  /** How worker events account for differences and failures (faults, deaths), one sentence each. */
  explained?: string[];
  workerEvents?: WorkerEvent[];
  /** --fault reload: the hand-overs (WorkerLog.reload) and the latency inside and outside the restart. */
  reload?: MeasuredStrategy['reload'];
  /** Why the load stopped early (interrupted, out of time), if it did. */
  incomplete?: string;
  /** --client-addrs: the source addresses, by index (placement per address). */
  sources?: string[];
}

/** Above this share of one core, the load generator is likely the bottleneck. */
export const LOADGEN_SATURATED = 0.9;

const ms1 = (us: number): number => Math.round(us / 100) / 10;
/** A share as a percentage with one decimal, as the tables print it. */
const pctText = (x: number): string => (x * 100).toFixed(1);

/** Steps in a row a worker must stay above twice its even share to be flagged. */
export const HOT_STEPS = 3;

/**
 * The "one hot worker" signature, in words, or null: a worker above twice its even share for
 * HOT_STEPS or more rounds (a burst) or seconds (a timed load) in a row.
 */
function hotWorkerText(workers: readonly WorkerRef[], rounds: readonly RoundResult[], tally: Tally): string | null {
  const series = tally.series();
  const bySecond = series.length > 0 && rounds.length === 1;
  let steps: number[][];
  if (bySecond) {
    const index = new Map(workers.map((w, i) => [w.pid, i]));
    const seconds = new Map<number, number[]>();
    for (const p of series) {
      const row = seconds.get(p.second) ?? new Array<number>(workers.length).fill(0);
      seconds.set(p.second, row);
      const i = index.get(p.pid);
      if (i !== undefined) row[i] += p.count;
    }
    steps = [...seconds.keys()].sort((a, b) => a - b).map((s) => seconds.get(s) as number[]);
  } else steps = rounds.map((r) => workers.map((w) => r.counts[w.pid] ?? 0));
  const hot = hotWorker(steps, HOT_STEPS);
  if (hot === null) return null;
  const w = workers[hot.worker];
  const unit = bySecond ? 'seconds' : 'rounds';
  const first = bySecond ? hot.from : (rounds[hot.from]?.index ?? hot.from + 1);
  const last = bySecond ? hot.to : (rounds[hot.to]?.index ?? hot.to + 1);
  return `one hot worker: worker ${w.id} (pid ${w.pid}) served over 2x its even share for ${hot.to - hot.from + 1} ${unit} in a row (${unit} ${first}–${last}, up to ${hot.peak.toFixed(1)}x)`;
}

export function summarize(raw: StrategyRaw): MeasuredStrategy {
  const { workers, rounds, tally } = raw;
  const sumOver = (key: 'counts' | 'server' | 'connections', pid: number): number => rounds.reduce((a, r) => a + (r[key][pid] ?? 0), 0);
  const client = workers.map((w) => sumOver('counts', w.pid));
  const share = shares(client);
  const perWorker = workers.map((w, i) => ({
    id: w.id,
    pid: w.pid,
    client: client[i],
    server: sumOver('server', w.pid),
    connections: sumOver('connections', w.pid),
    share: share[i],
    latencyMs: tally.latency(w.pid).summary,
  }));
  const sent = rounds.reduce((a, r) => a + r.sent, 0);
  const ok = rounds.reduce((a, r) => a + r.ok, 0);
  const mismatches = rounds.reduce((a, r) => a + r.mismatches, 0);
  const explainedN = rounds.reduce((a, r) => a + (r.explained ?? 0), 0);
  const errorsByCode: Record<string, number> = { ...tally.errorsByCode };
  // Requests sent with no record at all (reconciliation already names them as a problem).
  const lost = sent - tally.received;
  if (lost > 0) errorsByCode.LOST = lost;
  // Counted apart from each other, so the check below can fail: ok responses (per round), failed
  // records by code (as they arrived) and requests that never came back (sent - received).
  const errors = Object.values(errorsByCode).reduce((a, n) => a + n, 0);
  const problems = [...raw.problems];
  if (sent !== ok + errors)
    problems.push(`${sent} requests sent, but ${ok} ok + ${errors} failed = ${ok + errors}: some request is counted twice or not at all`);
  const wallMs = rounds.reduce((a, r) => a + r.wallMs, 0);
  const timedOut = (errorsByCode[DEADLINE] ?? 0) + (errorsByCode[RUN_DEADLINE] ?? 0);
  const { summary, curve } = tally.latency();
  const cpuDelta = (pid: number): number =>
    (raw.last.workers.find((w) => w.pid === pid)?.cpuUs ?? 0) - (raw.first.workers.find((w) => w.pid === pid)?.cpuUs ?? 0);
  const accounted = sent === ok + errors && problems.length === 0;
  const primaryMs = ms1(raw.last.primaryCpuUs - raw.first.primaryCpuUs);
  const conns = perWorker.reduce((a, w) => a + w.connections, 0);
  const loadGenMs = ms1(raw.loadGenCpuUs);
  const warnings: string[] = [];
  // The load generator's share of a core, computed once here: the cost table shows the same number.
  const coreShare = (cpuMs: number): number => (raw.loadWallMs > 0 ? Math.round((cpuMs / raw.loadWallMs) * 1000) / 1000 : 0);
  const genShare = coreShare(loadGenMs);
  const clients = raw.clientCpuMs ?? [];
  const clientShares = clients.map(coreShare);
  if (clients.length === 0 && genShare >= LOADGEN_SATURATED)
    warnings.push(`the load generator used ${pctText(genShare)}% of a core: it may be the bottleneck, not the cluster (try --clients 2)`);
  const hot = hotWorkerText(workers, rounds, tally);
  if (hot !== null) warnings.push(hot);
  clientShares.forEach((share, i) => {
    if (share >= LOADGEN_SATURATED)
      warnings.push(
        `load client ${i + 1} of ${clients.length} used ${pctText(share)}% of a core: it may be the bottleneck (try --clients ${clients.length + 1})`,
      );
  });
  return {
    name: raw.name,
    kind: raw.kind,
    description: raw.description,
    workers,
    totals: { sent, ok, errors, mismatches, ...(explainedN > 0 && { explained: explainedN }), accounted },
    perWorker,
    rounds,
    // Rounds in which no response came back have no top share (not 0): they are left out.
    metrics: fairness(
      client,
      rounds.filter((r) => Object.values(r.counts).some((n) => n > 0)).map((r) => r.topShare),
    ),
    latencyMs: summary,
    latencyWithFailuresMs: tally.latencyWithFailures(),
    // Latency counts answered requests; the ones that ran out of time are slower than all of them.
    ...(timedOut > 0 && { timedOut }),
    latencyCurve: curve,
    rps: wallMs === 0 ? 0 : Math.round((ok / wallMs) * 1000),
    wallMs: Math.round(wallMs),
    cpuMs: {
      primary: primaryMs,
      workers: ms1(workers.reduce((a, w) => a + cpuDelta(w.pid), 0)),
      loadGen: loadGenMs,
      ...(clients.length === 0 && { loadGenShare: genShare }),
      primaryPer10kConn: conns === 0 ? null : Math.round((primaryMs / conns) * 10_000 * 10) / 10,
      ...(clients.length > 0 && { clients, clientShares }),
    },
    errorsByCode,
    problems,
    ...(raw.incomplete !== undefined && { incomplete: raw.incomplete }),
    ...(raw.workerEvents && raw.workerEvents.length > 0 && { workerEvents: raw.workerEvents }),
    ...(raw.reload && { reload: raw.reload }),
    ...(raw.explained && raw.explained.length > 0 && { explained: raw.explained }),
    ...(raw.sources && { placement: tally.placement().map((p) => ({ address: raw.sources?.[p.src] ?? String(p.src), counts: p.counts })) }),
    warnings,
    series: tally.series(),
    ...(raw.kernel && { kernel: raw.kernel }),
    ...(raw.last.dispatch && { dispatch: raw.last.dispatch }),
  };
}
