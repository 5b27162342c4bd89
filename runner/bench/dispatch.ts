// `npm run bench:dispatch`: the userland dispatch mechanism against native SCHED_RR.
//
//   argv -> options -> churn phase:  rep 1: rr, lc, random, none (each a fresh cluster) ... rep R
//                   -> burst phase:  rep 1: rr, lc, random, none ... (listen overflows, p99)
//                   -> per strategy: median [min–max] of each value and of its ratio to rr
//                      computed within the same rep -> tables on stderr, JSON on stdout (--json)
//
// The box is shared and noisy, so strategies are interleaved and compared within a rep. Every
// run goes through the runner's own `runStrategy` (same cluster, load and reconciliation code as
// `npm run bench`); a run that is not fully accounted is printed and makes the exit code 1.
import { flagLines, intFlag, parseFlags } from '../flags.js';
import { isServerName, SERVER_NAMES } from '../../servers/registry.js';
import os from 'node:os';
import { resolvePolicies, type StrategyName } from '../../strategies/registry.js';
import { newSeed } from '../../strategies/rng.js';
import { stopAll } from '../cluster/handle.js';
import { msg, UsageError } from '../errors.js';
import type { RunOptions, StrategyResult } from '../results.js';
import { runStrategy } from '../strategy-run.js';
import { sameRepRatios, spread, table as alignTable, type RepSample } from './stats.js';

export const FLAGS = {
  policy: { type: 'string', default: 'rr,least-connections,random,none', description: 'strategies (rr first: the baseline)' },
  reps: { type: 'string', default: '5', description: 'churn repetitions (interleaved)' },
  duration: { type: 'string', default: '5', description: 'seconds of churn per run' },
  workers: { type: 'string', default: '', description: 'workers per cluster (default: CPU count)' },
  server: { type: 'string', default: 'http', description: 'worker app' },
  connections: { type: 'string', default: '100', description: 'churn concurrency' },
  'burst-rounds': { type: 'string', default: '20', description: 'burst rounds (0: no burst phase)' },
  'burst-connections': { type: 'string', default: '1000', description: 'connections per burst round' },
  'burst-reps': { type: 'string', default: '1', description: 'burst repetitions (interleaved)' },
  seed: { type: 'string', default: '', description: 'seed for random picks (default: random, printed)' },
  json: { type: 'boolean', default: false, description: 'print every sample and summary as JSON on stdout' },
  help: { type: 'boolean', default: false, description: 'show this help' },
} as const;

export interface DispatchBenchOptions {
  policies: StrategyName[];
  reps: number;
  duration: number;
  workers: number;
  server: string;
  connections: number;
  burstRounds: number;
  burstConnections: number;
  burstReps: number;
  seed: number;
  json: boolean;
}

/** One strategy run, reduced to what the tables need. */
export interface RunSample {
  phase: 'churn' | 'burst';
  strategy: StrategyName;
  rep: number;
  rps: number;
  p99Ms: number;
  primaryMs: number;
  primaryPer10kConn: number;
  listenOverflows: number | null;
  sent: number;
  errors: number;
  accounted: boolean;
  problems: string[];
}

export function helpText(): string {
  const docs = Object.fromEntries(
    Object.entries(FLAGS).map(([k, f]) => [k, { ...f, value: f.type === 'string' ? 'V' : undefined, shown: f.type === 'string' && f.default !== '' ? f.default : undefined }]),
  );
  return [
    'bench:dispatch: userland dispatch (least-connections, random) against native rr and none',
    '',
    'Usage: npm run bench:dispatch -- [flags]',
    '',
    ...flagLines(docs),
    '',
    'Profile the primary: CSB_PRIMARY_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench:dispatch -- ...',
  ].join('\n');
}

const int = (flag: string, text: string, min: number, max: number): number => intFlag(flag, text, NaN, min, max);

export function parseBenchArgs(argv: string[]): DispatchBenchOptions | 'help' {
  const parsed = parseFlags(argv, FLAGS, false).values;
  // absent flags take the table's parseArgs defaults
  const values = Object.fromEntries(Object.entries(FLAGS).map(([k, f]) => [k, parsed[k] ?? f.default])) as Record<string, string | boolean>;
  if (values.help) return 'help';
  const s = (k: keyof typeof FLAGS): string => values[k] as string;
  if (!isServerName(s('server'))) throw new UsageError(msg.server(s('server'), SERVER_NAMES.join(', ')));
  const { names, unknown } = resolvePolicies(s('policy'));
  if (unknown.length > 0 || names[0] !== 'rr') throw new UsageError(`--policy '${s('policy')}': known names only, and rr first (the baseline of every ratio)`);
  return {
    policies: names,
    reps: int('reps', s('reps'), 1, 1000),
    duration: int('duration', s('duration'), 1, 3600),
    workers: s('workers') === '' ? os.availableParallelism() : int('workers', s('workers'), 1, 256),
    server: s('server'),
    connections: int('connections', s('connections'), 1, 10_000),
    burstRounds: int('burst-rounds', s('burst-rounds'), 0, 10_000),
    burstConnections: int('burst-connections', s('burst-connections'), 1, 10_000),
    burstReps: int('burst-reps', s('burst-reps'), 1, 1000),
    seed: s('seed') === '' ? newSeed() : int('seed', s('seed'), 0, 2 ** 32 - 1),
    json: values.json === true,
  };
}

function runOptions(o: DispatchBenchOptions, phase: RunSample['phase']): RunOptions {
  const common = { workers: o.workers, server: o.server, work: 'hello', host: '127.0.0.1', port: 0, backlog: 4096, seed: o.seed, roundTimeoutMs: 10_000, out: '' };
  return phase === 'churn'
    ? { ...common, policies: o.policies, load: 'churn', connections: o.connections, rounds: 1, duration: o.duration }
    : { ...common, policies: o.policies, load: 'burst', connections: o.burstConnections, rounds: o.burstRounds };
}

export function toSample(phase: RunSample['phase'], strategy: StrategyName, rep: number, r: StrategyResult): RunSample {
  return {
    phase,
    strategy,
    rep,
    rps: r.rps,
    p99Ms: r.latencyMs.p99,
    primaryMs: r.cpuMs.primary,
    primaryPer10kConn: r.cpuMs.primaryPer10kConn ?? NaN,
    listenOverflows: r.kernel?.listenOverflows ?? null,
    sent: r.totals.sent,
    errors: r.totals.errors,
    accounted: r.totals.accounted,
    problems: r.problems,
  };
}

const pick = (samples: readonly RunSample[], key: 'rps' | 'p99Ms' | 'primaryPer10kConn' | 'listenOverflows'): RepSample[] =>
  samples.map((s) => ({ strategy: s.strategy, rep: s.rep, value: s[key] ?? NaN }));

const table = (head: string[], rows: string[][]): string => alignTable(head, rows).replace(/^/gm, '  ');
const valueText = (xs: number[], d: number): string => spread(xs.filter(Number.isFinite), d);
const ratioText = (samples: readonly RunSample[], key: Parameters<typeof pick>[1], name: string): string =>
  spread(sameRepRatios(pick(samples, key), name, 'rr'), 2);

/** The churn table: req/s, primary CPU per 10k connections, p99; each also as a same-rep ratio to rr. */
export function churnTable(samples: readonly RunSample[], policies: readonly string[]): string {
  const head = ['strategy', 'req/s', '÷ rr', 'primary ms/10k conn', '÷ rr', 'p99 ms', '÷ rr', 'errors', 'accounted'];
  const rows = policies.map((name) => {
    const mine = samples.filter((s) => s.strategy === name);
    return [
      name,
      valueText(mine.map((s) => s.rps), 0),
      ratioText(samples, 'rps', name),
      valueText(mine.map((s) => s.primaryPer10kConn), 0),
      name === 'none' ? '–' : ratioText(samples, 'primaryPer10kConn', name),
      valueText(mine.map((s) => s.p99Ms), 1),
      ratioText(samples, 'p99Ms', name),
      String(mine.reduce((a, s) => a + s.errors, 0)),
      mine.every((s) => s.accounted) ? 'yes' : 'NO',
    ];
  });
  return table(head, rows);
}

/** The burst table: kernel listen overflows per run, p99 and its same-rep ratio to rr. */
export function burstTable(samples: readonly RunSample[], policies: readonly string[]): string {
  const head = ['strategy', 'listen overflows', 'p99 ms', '÷ rr', 'req/s', 'primary ms/10k conn', 'errors', 'accounted'];
  const rows = policies.map((name) => {
    const mine = samples.filter((s) => s.strategy === name);
    const overflows = mine.map((s) => s.listenOverflows);
    return [
      name,
      overflows.some((x) => x === null) ? 'n/a' : overflows.join(', '),
      valueText(mine.map((s) => s.p99Ms), 1),
      ratioText(samples, 'p99Ms', name),
      valueText(mine.map((s) => s.rps), 0),
      valueText(mine.map((s) => s.primaryPer10kConn), 0),
      String(mine.reduce((a, s) => a + s.errors, 0)),
      mine.every((s) => s.accounted) ? 'yes' : 'NO',
    ];
  });
  return table(head, rows);
}

async function phase(o: DispatchBenchOptions, which: RunSample['phase'], reps: number, log: (s: string) => void): Promise<RunSample[]> {
  const opts = runOptions(o, which);
  const out: RunSample[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const line: string[] = [];
    for (const name of o.policies) {
      const { result } = await runStrategy(name, opts, () => {});
      const s = toSample(which, name, rep, result);
      out.push(s);
      line.push(`${name} ${s.rps} req/s${s.accounted ? '' : ' NOT ACCOUNTED'}`);
      for (const p of s.problems.slice(0, 5)) log(`  ! ${which} rep ${rep} ${name}: ${p}`);
      if (s.errors > 0) log(`  ! ${which} rep ${rep} ${name}: ${s.errors} client errors ${JSON.stringify(result.errorsByCode)}`);
    }
    log(`  ${which} rep ${rep}/${reps}: ${line.join(', ')}`);
  }
  return out;
}

/** Run the benchmark; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const log = (s: string): void => void process.stderr.write(`${s}\n`);
  try {
    const o = parseBenchArgs(argv);
    if (o === 'help') {
      process.stdout.write(`${helpText()}\n`); // asked-for output, pipeable, as the other CLIs
      return 0;
    }
    log(`bench:dispatch  Node ${process.version} | ${os.cpus()[0]?.model.trim() ?? 'cpu?'} | ${os.availableParallelism()} cores | loadavg ${os.loadavg()[0].toFixed(2)}`);
    log(`  workers ${o.workers} | server ${o.server} | seed ${o.seed} | backlog 4096 | strategies ${o.policies.join(', ')}`);
    log(`  churn ${o.connections} connections x ${o.duration} s x ${o.reps} reps; burst ${o.burstConnections} x ${o.burstRounds} x ${o.burstReps} reps\n`);
    const t0 = performance.now();
    const churn = await phase(o, 'churn', o.reps, log);
    const burst = o.burstRounds > 0 ? await phase(o, 'burst', o.burstReps, log) : [];
    log(`\nchurn (closed loop, fresh connection per request), ${o.reps} reps; median [min–max]; ÷ rr within the same rep`);
    log(churnTable(churn, o.policies));
    if (burst.length > 0) {
      log(`\nburst ${o.burstConnections} x ${o.burstRounds}, ${o.burstReps} reps; listen overflows per run (machine-wide /proc/net/netstat delta)`);
      log(burstTable(burst, o.policies));
    }
    const all = [...churn, ...burst];
    const bad = all.filter((s) => !s.accounted);
    log(`\n  ${((performance.now() - t0) / 1000).toFixed(1)} s; ${all.reduce((a, s) => a + s.sent, 0)} requests, ${bad.length === 0 ? 'every run accounted' : `${bad.length} runs NOT ACCOUNTED`}`);
    if (o.json) process.stdout.write(`${JSON.stringify({ options: o, node: process.version, samples: all }, null, 2)}\n`);
    return bad.length === 0 ? 0 : 1;
  } catch (e) {
    const error = e as Error & { exitCode?: number };
    log(`error: ${error.message}`);
    return error.exitCode ?? 1;
  } finally {
    await stopAll();
  }
}
