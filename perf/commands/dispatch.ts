// `npm run perf:dispatch`: the userland dispatch mechanism against native rr and none.
//   argv -> options -> churn and burst phases (perf/measure/dispatch.ts) -> per strategy:
//   median [min–max] of each value and of its ratio to rr within the same rep -> tables on
//   stderr, JSON on stdout (--json). A run that is not fully accounted makes the exit code 1.
import os from 'node:os';
import { UsageError } from '../../format/errors.js';
import { sameRepRatios, spread } from '../../format/stats.js';
import { alignedTable } from '../../reports/text.js';
import { PRIMARY_EXEC_ARGV_ENV, stopAll } from '../../runner/cluster/handle.js';
import { DEFAULTS } from '../../runner/options.js';
import { type Command, type FlagValues, INTERRUPTED_EXIT } from '../../scripts/lib/command.js';
import { policyFlag, serverDoc, serverFlag } from '../../scripts/lib/flag-values.js';
import { type FlagDoc, flagReader } from '../../scripts/lib/flags.js';
import { type DispatchPerfOptions, type RunSample, runPhase } from '../measure/dispatch.js';

/** This benchmark's own defaults (the plain http app, so dispatch dominates); the rest from runner/options.ts. */
const PERF_DEFAULTS = {
  policy: 'rr,least-connections,random,none',
  reps: 5,
  duration: 5,
  server: 'http',
  connections: 100,
  burstRounds: 20,
  burstConnections: 1000,
  burstReps: 1,
} as const;

export const FLAGS = {
  policy: { type: 'string', value: 'LIST', shown: PERF_DEFAULTS.policy, description: 'strategies (rr first: the baseline)' },
  reps: { type: 'string', value: 'N', shown: String(PERF_DEFAULTS.reps), description: 'churn repetitions (interleaved)' },
  duration: { type: 'string', value: 'S', shown: String(PERF_DEFAULTS.duration), description: 'seconds of churn per run' },
  workers: { type: 'string', value: 'N', shown: 'CPU count', description: 'workers per cluster' },
  server: serverDoc(PERF_DEFAULTS.server),
  connections: { type: 'string', value: 'C', shown: String(PERF_DEFAULTS.connections), description: 'churn concurrency' },
  'burst-rounds': {
    type: 'string',
    value: 'R',
    shown: String(PERF_DEFAULTS.burstRounds),
    description: 'burst rounds (0: no burst phase)',
  },
  'burst-connections': {
    type: 'string',
    value: 'C',
    shown: String(PERF_DEFAULTS.burstConnections),
    description: 'connections per burst round',
  },
  'burst-reps': { type: 'string', value: 'N', shown: String(PERF_DEFAULTS.burstReps), description: 'burst repetitions (interleaved)' },
  seed: { type: 'string', value: 'N', shown: 'random, printed', description: 'seed for random picks' },
  json: { type: 'boolean', description: 'print every sample and summary as JSON on stdout' },
} as const satisfies Record<string, FlagDoc>;

export function parseDispatchPerf(values: FlagValues): DispatchPerfOptions {
  const { str: s, int } = flagReader<keyof typeof FLAGS>(values);
  const server = serverFlag(s('server') ?? PERF_DEFAULTS.server);
  const policy = s('policy') ?? PERF_DEFAULTS.policy;
  const names = policyFlag(policy);
  if (names[0] !== 'rr') throw new UsageError(`--policy '${policy}': known names only, and rr first (the baseline of every ratio)`);
  return {
    policies: names,
    reps: int('reps', PERF_DEFAULTS.reps, 1, 1000),
    duration: int('duration', PERF_DEFAULTS.duration, 1, 3600),
    workers: int('workers', DEFAULTS.workers(), 1, 256),
    server,
    connections: int('connections', PERF_DEFAULTS.connections, 1, 10_000),
    burstRounds: int('burst-rounds', PERF_DEFAULTS.burstRounds, 0, 10_000),
    burstConnections: int('burst-connections', PERF_DEFAULTS.burstConnections, 1, 10_000),
    burstReps: int('burst-reps', PERF_DEFAULTS.burstReps, 1, 1000),
    seed: int('seed', DEFAULTS.seed(), 0, 2 ** 32 - 1),
    json: values.json === true,
  };
}

type Key = 'rps' | 'p99Ms' | 'primaryPer10kConn' | 'listenOverflows';
const pick = (samples: readonly RunSample[], key: Key) => samples.map((s) => ({ strategy: s.strategy, rep: s.rep, value: s[key] ?? NaN }));
const valueText = (xs: number[], d: number): string => spread(xs.filter(Number.isFinite), d);
const ratioText = (samples: readonly RunSample[], key: Key, name: string): string =>
  spread(sameRepRatios(pick(samples, key), name, 'rr'), 2);
const table = (head: string[], rows: string[][]): string => alignedTable(head, rows).replace(/^/gm, '  ');
const errorsOf = (mine: readonly RunSample[]): string => String(mine.reduce((a, s) => a + s.errors, 0));
const accountedOf = (mine: readonly RunSample[]): string => (mine.every((s) => s.accounted) ? 'yes' : 'NO');

/** The churn table: req/s, primary CPU per 10k connections, p99; each also as a same-rep ratio to rr. */
export function churnTable(samples: readonly RunSample[], policies: readonly string[]): string {
  const head = ['strategy', 'req/s', '÷ rr', 'primary ms/10k conn', '÷ rr', 'p99 ms', '÷ rr', 'errors', 'accounted'];
  const rows = policies.map((name) => {
    const mine = samples.filter((s) => s.strategy === name);
    return [
      name,
      valueText(
        mine.map((s) => s.rps),
        0,
      ),
      ratioText(samples, 'rps', name),
      valueText(
        mine.map((s) => s.primaryPer10kConn),
        0,
      ),
      name === 'none' ? '–' : ratioText(samples, 'primaryPer10kConn', name),
      valueText(
        mine.map((s) => s.p99Ms),
        1,
      ),
      ratioText(samples, 'p99Ms', name),
      errorsOf(mine),
      accountedOf(mine),
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
      valueText(
        mine.map((s) => s.p99Ms),
        1,
      ),
      ratioText(samples, 'p99Ms', name),
      valueText(
        mine.map((s) => s.rps),
        0,
      ),
      valueText(
        mine.map((s) => s.primaryPer10kConn),
        0,
      ),
      errorsOf(mine),
      accountedOf(mine),
    ];
  });
  return table(head, rows);
}

export const perfDispatch: Command<DispatchPerfOptions> = {
  name: 'perf:dispatch',
  summary: 'Measure userland dispatch (least-connections, random) against native rr and none.',
  notes: [
    `Profile the primary: set ${PRIMARY_EXEC_ARGV_ENV} to Node flags, e.g. "--cpu-prof --cpu-prof-dir=prof" (a .cpuprofile per primary).`,
  ],
  flags: FLAGS,
  examples: [
    'npm run perf:dispatch',
    'npm run perf:dispatch -- --policy rr,lc --workers 2 --reps 1 --duration 2 --burst-rounds 0   # a quick look',
    'npm run -s perf:dispatch -- --reps 3 --json > dispatch.json',
  ],
  exitCodes: `0 ok, 1 a run not fully accounted, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse: parseDispatchPerf,
  cleanup: stopAll,
  async run(o, { err, out }) {
    const log = (s: string): void => void err.write(`${s}\n`);
    log(
      `perf:dispatch  Node ${process.version} | ${os.cpus()[0]?.model.trim() ?? 'cpu?'} | ${os.availableParallelism()} cores | loadavg ${os.loadavg()[0].toFixed(2)}`,
    );
    log(`  workers ${o.workers} | server ${o.server} | seed ${o.seed} | backlog ${DEFAULTS.backlog} | strategies ${o.policies.join(', ')}`);
    log(
      `  churn ${o.connections} connections x ${o.duration} s x ${o.reps} reps; burst ${o.burstConnections} x ${o.burstRounds} x ${o.burstReps} reps\n`,
    );
    const t0 = performance.now();
    const onRep = (phase: string, reps: number) => (rep: number, samples: RunSample[]) => {
      for (const s of samples) {
        for (const p of s.problems.slice(0, 5)) log(`  ! ${phase} rep ${rep} ${s.strategy}: ${p}`);
        if (s.errors > 0) log(`  ! ${phase} rep ${rep} ${s.strategy}: ${s.errors} client errors ${JSON.stringify(s.errorsByCode)}`);
      }
      log(
        `  ${phase} rep ${rep}/${reps}: ${samples.map((s) => `${s.strategy} ${s.rps} req/s${s.accounted ? '' : ' NOT ACCOUNTED'}`).join(', ')}`,
      );
    };
    const churn = await runPhase(o, 'churn', o.reps, onRep('churn', o.reps));
    const burst = o.burstRounds > 0 ? await runPhase(o, 'burst', o.burstReps, onRep('burst', o.burstReps)) : [];
    log(`\nchurn (closed loop, fresh connection per request), ${o.reps} reps; median [min–max]; ÷ rr within the same rep`);
    log(churnTable(churn, o.policies));
    if (burst.length > 0) {
      log(
        `\nburst ${o.burstConnections} x ${o.burstRounds}, ${o.burstReps} reps; listen overflows per run (machine-wide /proc/net/netstat delta)`,
      );
      log(burstTable(burst, o.policies));
    }
    const all = [...churn, ...burst];
    const bad = all.filter((s) => !s.accounted);
    log(
      `\n  ${((performance.now() - t0) / 1000).toFixed(1)} s; ${all.reduce((a, s) => a + s.sent, 0)} requests, ${bad.length === 0 ? 'every run accounted' : `${bad.length} runs NOT ACCOUNTED`}`,
    );
    if (o.json) out.write(`${JSON.stringify({ options: o, node: process.version, samples: all }, null, 2)}\n`);
    return bad.length === 0 ? 0 : 1;
  },
};
