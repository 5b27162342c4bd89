// `npm run perf:tails`: which strategy keeps the tail short under mixed work, in an open loop at
// two utilizations (about 50% and 80% of what rr sustains here). Per level and strategy: p99 and
// p99.9 as median [min–max] over interleaved reps, each also as a same-rep ratio to rr; then
// whether least-requests meets its target (p99 <= 0.9x rr and <= every other strategy).
import os from 'node:os';
import { median, sameRepRatios, spread } from '../../format/stats.js';
import { alignedTable } from '../../reports/text.js';
import { stopAll } from '../../runner/cluster/handle.js';
import { nodeVersionOf } from '../../runner/node-binary.js';
import { DEFAULTS } from '../../runner/options.js';
import { type Command, type FlagValues, INTERRUPTED_EXIT } from '../../scripts/lib/command.js';
import { type NodeChoice, nodeFlag, policyFlag, resolveNode, serverDoc, serverFlag, workFlag } from '../../scripts/lib/flag-values.js';
import { type FlagDoc, flagReader, intFlag } from '../../scripts/lib/flags.js';
import { formatWork } from '../../servers/work.js';
import { STRATEGIES, STRATEGY_NAMES } from '../../strategies/registry.js';
import { measureCapacity, runTails, type TailSample, type TailsOptions } from '../measure/tails.js';

const PERF_DEFAULTS = { reps: 3, duration: 8, workers: 2, server: 'http', work: 'mixed:10:20', levels: '50,80' } as const;

export const FLAGS = {
  policy: {
    type: 'string',
    value: 'LIST',
    shown: 'every supported strategy but sticky',
    description: 'strategies (rr is always the baseline); sticky only if named: one client address sends it all to one worker',
  },
  levels: {
    type: 'string',
    value: 'P,P',
    shown: PERF_DEFAULTS.levels,
    description: 'utilizations, as percent of what rr sustains here (a closed-loop run measures it first)',
  },
  capacity: { type: 'string', value: 'RPS', description: 'take this as 100% instead of measuring rr' },
  reps: { type: 'string', value: 'N', shown: String(PERF_DEFAULTS.reps), description: 'repetitions per level (interleaved)' },
  duration: { type: 'string', value: 'S', shown: String(PERF_DEFAULTS.duration), description: 'seconds of open-loop load per run' },
  workers: { type: 'string', value: 'N', shown: String(PERF_DEFAULTS.workers), description: 'workers per cluster' },
  server: serverDoc(PERF_DEFAULTS.server),
  work: {
    type: 'string',
    value: 'PROFILE',
    shown: PERF_DEFAULTS.work,
    description: 'per-request work (mixed: P% of requests burn MS of CPU)',
  },
  node: {
    type: 'string',
    value: 'VERSION|PATH',
    description: 'Node of the clusters, a version (22) installed as npm run node:get does, or a binary (reuseport needs 22.12 or newer)',
  },
  seed: { type: 'string', value: 'N', shown: 'random, printed', description: 'seed for random picks and mixed work' },
  json: { type: 'boolean', description: 'print every sample as JSON on stdout' },
} as const satisfies Record<string, FlagDoc>;

/** The options, with --node as given (a version is installed when the command runs). */
export interface TailsRequest extends Omit<TailsOptions, 'node'> {
  node?: NodeChoice;
}

export function parseTails(values: FlagValues): TailsRequest {
  const { str: s, int } = flagReader<keyof typeof FLAGS>(values);
  const server = serverFlag(s('server') ?? PERF_DEFAULTS.server);
  const work = workFlag(s('work') ?? PERF_DEFAULTS.work);
  const node = nodeFlag(s('node'));
  const policy = s('policy');
  // sticky with one client address (this load) puts everything on one worker: left out unless named.
  const names = policyFlag(policy ?? STRATEGY_NAMES.filter((n) => n !== 'sticky').join(','));
  const levelsText = s('levels') ?? PERF_DEFAULTS.levels;
  const levels = levelsText.split(',').map((p) => intFlag('levels', p.trim(), NaN, 1, 100) / 100);
  return {
    // rr first: the baseline of every ratio.
    policies: ['rr', ...names.filter((n) => n !== 'rr')],
    levels,
    reps: int('reps', PERF_DEFAULTS.reps, 1, 100),
    duration: int('duration', PERF_DEFAULTS.duration, 1, 600),
    workers: int('workers', PERF_DEFAULTS.workers, 1, 256),
    server,
    work,
    seed: int('seed', DEFAULTS.seed(), 0, 2 ** 32 - 1),
    json: values.json === true,
    ...(node !== undefined && { node }),
    ...(s('capacity') !== undefined && { capacity: int('capacity', NaN, 1, 1_000_000) }),
  };
}

const of = (samples: readonly TailSample[], key: 'p99' | 'p999') =>
  samples.map((s) => ({ strategy: s.strategy, rep: s.rep, value: s[key] }));

/** One level's table: p99 and p99.9, median [min–max] and ÷ rr within the same rep. */
export function tailsTable(samples: readonly TailSample[], policies: readonly string[]): string {
  const head = ['strategy', 'p99 ms', '÷ rr', 'p99.9 ms', '÷ rr', 'timed out', 'errors', 'accounted'];
  const rows = policies.map((name) => {
    const mine = samples.filter((s) => s.strategy === name);
    return [
      name,
      spread(
        mine.map((s) => s.p99),
        1,
      ),
      spread(sameRepRatios(of(samples, 'p99'), name, 'rr'), 2),
      spread(
        mine.map((s) => s.p999),
        1,
      ),
      spread(sameRepRatios(of(samples, 'p999'), name, 'rr'), 2),
      String(mine.reduce((a, s) => a + s.timedOut, 0)),
      String(mine.reduce((a, s) => a + s.errors, 0)),
      mine.every((s) => s.accounted) ? 'yes' : 'NO',
    ];
  });
  return alignedTable(head, rows).replace(/^/gm, '  ');
}

/** The target, in words: least-requests' median p99 against rr's (same-rep ratio) and against every other strategy's median. */
export function targetLine(samples: readonly TailSample[], policies: readonly string[], level: number): string | null {
  if (!policies.includes('least-requests')) return null;
  const med = (name: string): number => median(samples.filter((s) => s.strategy === name).map((s) => s.p99));
  const ratio = median(sameRepRatios(of(samples, 'p99'), 'least-requests', 'rr'));
  const lr = med('least-requests');
  const better = policies.filter((n) => n !== 'least-requests' && med(n) < lr);
  const ok = ratio <= 0.9 && better.length === 0;
  return `  ${Math.round(level * 100)}%: least-requests p99 ${ratio.toFixed(2)}x rr${better.length > 0 ? `; lower p99: ${better.join(', ')}` : '; lowest of all'} -> target ${ok ? 'met' : 'NOT met'}`;
}

export const perfTails: Command<TailsRequest> = {
  name: 'perf:tails',
  summary: 'Measure the tail latency of every strategy under mixed work, open loop, at two utilizations.',
  flags: FLAGS,
  examples: [
    'npm run perf:tails',
    'npm run perf:tails -- --policy rr,lc --levels 80 --reps 1 --duration 2   # a quick look',
    'npm run perf:tails -- --node 22                                          # reuseport too (Node 22.12+)',
  ],
  exitCodes: `0 ok, 1 a run not fully accounted, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse: parseTails,
  cleanup: stopAll,
  async run(request, { err, out }) {
    const log = (s: string): void => void err.write(`${s}\n`);
    const node = request.node === undefined ? undefined : resolveNode(request.node, err);
    const o: TailsOptions = { ...request, node };
    // The clusters' Node is the one that must support a strategy (reuseport on --node 22).
    const clusterNode = node === undefined ? process.version : nodeVersionOf(node);
    const policies = o.policies.filter((n) => {
      const why = STRATEGIES[n].supported(process.platform, clusterNode);
      if (why !== null) log(`  ${n} skipped: ${why}`);
      return why === null;
    });
    const opts = { ...o, policies };
    log(
      `perf:tails  Node ${process.version}${clusterNode === process.version ? '' : ` (clusters on ${clusterNode})`} | ${os.cpus()[0]?.model.trim() ?? 'cpu?'} | ${os.availableParallelism()} cores | loadavg ${os.loadavg()[0].toFixed(2)}`,
    );
    log(
      `  workers ${o.workers} | server ${o.server} | work ${formatWork(o.work)} | seed ${o.seed} | ${o.reps} reps x ${o.duration} s | ${policies.join(', ')}`,
    );
    const t0 = performance.now();
    const capacity = o.capacity ?? (await measureCapacity(opts));
    log(`  capacity (rr, closed loop, 64 clients): ${capacity} req/s${o.capacity ? ' (given)' : ''}`);
    const samples = await runTails(opts, capacity, (s) =>
      log(
        `  ${Math.round(s.level * 100)}% rep ${s.rep} ${s.strategy}: p99 ${s.p99} ms, p99.9 ${s.p999} ms${s.timedOut ? `, ${s.timedOut} timed out` : ''}`,
      ),
    );
    for (const level of o.levels) {
      const mine = samples.filter((s) => s.level === level);
      log(
        `\n${Math.round(level * 100)}% of capacity: open loop at ${mine[0]?.rate} req/s, ${o.reps} reps; median [min–max]; ÷ rr within the same rep`,
      );
      log(tailsTable(mine, policies));
    }
    const targets = o.levels
      .map((l) =>
        targetLine(
          samples.filter((s) => s.level === l),
          policies,
          l,
        ),
      )
      .filter((x) => x !== null);
    if (targets.length > 0) log(`\n${targets.join('\n')}`);
    const bad = samples.filter((s) => !s.accounted);
    log(
      `\n  ${((performance.now() - t0) / 1000).toFixed(1)} s; ${bad.length === 0 ? 'every run accounted' : `${bad.length} runs NOT ACCOUNTED`}`,
    );
    if (o.json) out.write(`${JSON.stringify({ options: o, node: process.version, capacity, samples }, null, 2)}\n`);
    return bad.length === 0 ? 0 : 1;
  },
};
