// Driving a server this run did not start (`bench --target URL`): the load as in a bench, the
// placement read from `x-worker-pid`, the workers discovered from the responses. When the server
// is our `npm run serve -- --stats`, every round is reconciled against the workers' own counts
// (GET /stats, `--target-stats`); otherwise only what came back is checked, and the result says so.
import type { MeasuredStrategy } from '../format/schema.js';
import type { Snapshot } from './cluster/protocol.js';
import { cpuUs } from './cluster/protocol.js';
import { resolved, type Target } from './load/types.js';
import type { RunOptions } from './options.js';
import { incompleteText, localDriver, type Progress, runRounds } from './rounds.js';
import type { ServeStats } from './serve.js';
import { summarize } from './summarize.js';
import { type RecordSink, Tally } from './tally.js';

export const TARGET_NAME = 'target';

/** host, port and path of a target URL. */
export function targetOf(url: string): Target {
  const u = new URL(url);
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || (u.protocol === 'https:' ? 443 : 80)),
    path: `${u.pathname}${u.search}` || '/',
  };
}

async function snapshotOf(statsUrl: string): Promise<Snapshot> {
  const res = await fetch(statsUrl, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`--target-stats ${statsUrl}: HTTP ${res.status}`);
  const s = (await res.json()) as ServeStats;
  if (!Array.isArray(s.workers)) throw new Error(`--target-stats ${statsUrl}: not a serve /stats document`);
  return { workers: s.workers.map((w) => ({ ...w, cpuUs: 0 })), primaryCpuUs: 0 };
}

export async function runTarget(
  opts: RunOptions & { target: string },
  progress: Progress = () => {},
  raw?: RecordSink,
  stop?: AbortSignal,
): Promise<MeasuredStrategy> {
  const target = await resolved(targetOf(opts.target));
  const stats = opts.targetStats;
  const first = stats ? await snapshotOf(stats) : null;
  // With /stats the workers are known up front; without, every pid that answers joins them.
  const tally = new Tally(first?.workers.map(({ id, pid }) => ({ id, pid })) ?? [], raw, first === null);
  const clock = { origin: performance.now() };
  const cpu0 = process.cpuUsage();
  const read = stats ? () => snapshotOf(stats) : null;
  const { rounds, problems, explained, last, stoppedIn } = await runRounds({
    name: TARGET_NAME,
    load: localDriver(opts, target, clock, tally),
    tally,
    workers: () => tally.workers,
    read,
    first,
    progress,
    ...(stop && { stop }),
  });
  const none: Snapshot = { workers: [], primaryCpuUs: 0 };
  const result = summarize({
    name: TARGET_NAME,
    kind: 'target',
    description: `a server already running at ${opts.target}${stats ? `, reconciled against ${stats}` : ''}`,
    workers: tally.workers,
    rounds,
    tally,
    problems,
    first: first ?? none,
    last: last ?? none,
    loadGenCpuUs: cpuUs(process.cpuUsage(cpu0)),
    loadWallMs: performance.now() - clock.origin,
    explained,
    ...(stop && { incomplete: incompleteText(rounds.length, opts.rounds, stoppedIn, stop) }),
  });
  const warnings = [...(result.warnings ?? []), "the target's CPU is not measured (it is not this run's cluster)"];
  if (!stats) warnings.push('not reconciled against the server: give --target-stats (npm run serve -- --stats) for its own counts');
  return { ...result, warnings };
}
