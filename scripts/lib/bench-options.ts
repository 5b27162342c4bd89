// `npm run bench` flags: one table drives parsing, validation and --help; defaults come from
// runner/options.ts (the only place they are written).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { checkWritable } from '../../format/io.js';
import { LOAD_MODES, type LoadMode } from '../../format/loads.js';
import { parseRaw, RAW_FORMS, type RawMode } from '../../format/requests.js';
import { openFileLimit } from '../../runner/env.js';
import { FAULT_FORMS } from '../../runner/faults.js';
import { checkLoadLimits, readPortRange } from '../../runner/limits.js';
import { loadDef, modesOf } from '../../runner/load/index.js';
import type { LoadFlag } from '../../runner/load/types.js';
import { DEFAULTS, loadDefaultText, type OptionsInput, type RunOptions, resolveOptions } from '../../runner/options.js';
import { checkoutPrimary } from '../../runner/variants.js';
import { sha256Of } from '../../servers/app.js';
import { SERVER_NAMES } from '../../servers/registry.js';
import { formatWork, WORK_FORMS } from '../../servers/work.js';
import { validPolicyList } from '../../strategies/registry.js';
import type { FlagValues } from './command.js';
import {
  checkFaultRound,
  checkLoopback,
  clientAddrsFlag,
  faultFlag,
  isLoopback,
  loadFlag,
  localAddresses,
  type NodeChoice,
  nodeFlag,
  policyFlag,
  serverFlag,
  urlFlag,
  workFlag,
} from './flag-values.js';
import { type FlagDoc, intFlag as int, parseFlags } from './flags.js';

interface BenchFlag extends FlagDoc {
  /** Load modes the flag means something for: given with another --load, it is refused. */
  modes?: readonly LoadMode[];
}

/** A flag of the load: the modes that take it come from their LoadDefs, and so does its default in --help. */
function loadFlagDoc(flag: LoadFlag, value: string, description: string, showDefault = true): BenchFlag {
  const modes = modesOf(flag);
  return {
    type: 'string',
    value,
    modes,
    description: `${description} (${modes.join(', ')})`,
    ...(showDefault && { shown: loadDefaultText(flag as Parameters<typeof loadDefaultText>[0], modes) }),
  };
}

/** Named experiments: one or more runs, each a set of flags. Flags given on the command line apply to every run. */
export interface Preset {
  description: string;
  runs: Array<{ label: string; args: string[] }>;
}

export const PRESETS: Record<string, Preset> = {
  'windows-skew': {
    description: 'SCHED_NONE against SCHED_RR, 4 workers: burst 1000 x 20 on fresh connections, then 100 keep-alive connections for 10 s',
    runs: [
      { label: 'burst 1000 x 20', args: ['--policy', 'none,rr', '--workers', '4', '--connections', '1000', '--rounds', '20'] },
      {
        label: 'keep-alive',
        args: ['--policy', 'none,rr', '--workers', '4', '--load', 'sustained', '--connections', '100', '--duration', '10'],
      },
    ],
  },
  ci: {
    description: 'CI-sized: every strategy, 4 workers, burst 200 x 5, 3 interleaved runs each',
    runs: [{ label: 'ci', args: ['--workers', '4', '--connections', '200', '--rounds', '5', '--runs', '3'] }],
  },
};

export const FLAGS = {
  policy: { type: 'string', value: 'LIST', shown: 'all', description: `strategies, comma-separated: ${validPolicyList()}` },
  workers: { type: 'string', value: 'N', shown: 'CPU count', description: 'workers per cluster' },
  load: { type: 'string', value: 'MODE', shown: DEFAULTS.load, description: `load mode: ${LOAD_MODES.join(', ')}` },
  connections: loadFlagDoc('connections', 'C', 'concurrent connections, per round in a burst'),
  rounds: loadFlagDoc('rounds', 'R', 'rounds'),
  duration: loadFlagDoc('duration', 'S', 'seconds of load'),
  rate: loadFlagDoc('rate', 'R', 'requests per second'),
  server: { type: 'string', value: 'NAME', shown: DEFAULTS.server, description: `worker app: ${SERVER_NAMES.join(', ')}` },
  work: { type: 'string', value: 'PROFILE', shown: formatWork(DEFAULTS.work), description: `per-request work: ${WORK_FORMS}` },
  host: { type: 'string', value: 'ADDR', shown: DEFAULTS.host, description: 'listen address (loopback only)' },
  port: { type: 'string', value: 'N', shown: String(DEFAULTS.port), description: 'listen port (0: any free port)' },
  backlog: {
    type: 'string',
    value: 'N',
    shown: String(DEFAULTS.backlog),
    description: 'listen backlog, same for every strategy (kernel caps it at somaxconn)',
  },
  seed: { type: 'string', value: 'N', shown: 'random', description: 'seed for random picks and mixed work (recorded, to repeat a run)' },
  'round-timeout': {
    type: 'string',
    value: 'MS',
    shown: String(DEFAULTS.roundTimeoutMs),
    description: 'deadline per burst round, or drain time after a timed load; requests still open then count as errors',
  },
  out: { type: 'string', value: 'DIR', shown: DEFAULTS.out, description: 'results folder (a run writes DIR/<run-id>/)' },
  clients: {
    type: 'string',
    value: 'K',
    shown: 'one per 8 cores, at least 1',
    description: 'load-generator processes: each round (or connections, or rate) split across K, released together',
  },
  node: {
    type: 'string',
    value: 'VERSION|PATH',
    shown: "the runner's",
    description:
      'Node for the primaries and workers: a version (22, 22.12.0), installed once from the npm registry as npm run node:get does, or a binary',
  },
  target: {
    type: 'string',
    value: 'URL',
    description: 'drive a server already running (npm run serve, or any app that sets x-worker-pid) instead of starting clusters',
  },
  'target-stats': {
    type: 'string',
    value: 'URL',
    description: "with --target: the server's GET /stats (npm run serve -- --stats), to reconcile every round",
  },
  'client-addrs': {
    ...loadFlagDoc(
      'client-addrs',
      'N',
      'spread the connections over N loopback source addresses, 127.0.0.1 .. 127.0.0.N (Linux), so placement by client address shows',
      false,
    ),
    shown: '1',
  },
  app: {
    type: 'string',
    value: 'FILE',
    description:
      'your own service as the worker app, instead of --server and --work: an ES module exporting a node:http listener, a fastify plugin, or create() returning either (docs/apps.md)',
  },
  'strategy-file': {
    type: 'string',
    value: 'FILE',
    description:
      'also run a strategy of your own: an ES module exporting { name, description, createPicker } (docs/strategies.md); alone unless --policy names others',
  },
  fault: {
    type: 'string',
    value: 'SPEC',
    description: `inject a worker fault into every strategy: ${FAULT_FORMS} (worker 1; a timed load: halfway)`,
  },
  respawn: { type: 'boolean', description: 'fork a replacement when a worker dies (default: carry on with fewer)' },
  runs: {
    type: 'string',
    value: 'K',
    shown: `${DEFAULTS.runs}; an A/B run ${DEFAULTS.abRuns}`,
    description: 'repeat each strategy K times, interleaved (rr, none, ..., rr, none, ...); tables show median [min–max]',
  },
  warmup: {
    type: 'string',
    value: 'N',
    shown: '1 with --runs 2+ or an A/B run, else 0',
    description: 'run every strategy (and side) N times first and count none of it: a cold start is not noise',
  },
  'baseline-node': {
    type: 'string',
    value: 'VERSION|PATH',
    description:
      "A/B in one run: a baseline side on this Node (a version, as --node takes, or a binary) against --node (or the runner's); compare RUN pairs them",
  },
  'baseline-strategy-file': {
    type: 'string',
    value: 'FILE',
    description: 'A/B in one run: a baseline side running this strategy file against --strategy-file',
  },
  'baseline-checkout': {
    type: 'string',
    value: 'DIR',
    description: 'A/B in one run: a baseline side running the cluster code of another checkout of this project, built (its dist/)',
  },
  preset: {
    type: 'string',
    value: 'NAME',
    description: `a named experiment (flags given too apply to each of its runs): ${Object.keys(PRESETS).join(', ')}`,
  },
  raw: { type: 'string', value: 'MODE', shown: 'all', description: `per-request rows in requests.csv: ${RAW_FORMS}` },
  label: { type: 'string', value: 'TEXT', description: 'label for this run in reports (e.g. "linux node20")' },
  json: {
    type: 'boolean',
    description: 'print the result JSON to stdout once every run is done (a --preset of several runs: an array, one result per run)',
  },
  'no-report': { type: 'boolean', description: 'skip rendering report.html, report.md and the SVG charts after the run' },
  quiet: {
    type: 'boolean',
    description: 'no live view (per-worker bars redrawn while a load runs, on a terminal without NO_COLOR) and no round progress',
  },
} satisfies Record<string, BenchFlag>;

export const EXAMPLES = [
  'npm run bench',
  'npm run bench -- --policy rr',
  'npm run bench -- --policy rr,least-connections --workers 4 --connections 500 --rounds 10',
  'npm run -s bench -- --policy random --seed 42 --json > run.json   # -s: no npm banner in the JSON',
  'npm run -s bench -- --preset windows-skew --json > skew.json     # an array: one result per run of the preset',
  'npm run bench -- --load sustained --connections 100 --duration 5',
  'npm run bench -- --load open --rate 400 --work mixed:10:20',
  'npm run bench -- --policy rr,lc --baseline-node 22                             # A/B: Node 22 against this one',
  'npm run bench -- --policy rr --baseline-checkout ../base                        # A/B: the base branch against this one',
];

export interface BenchRequest {
  /** --raw: which per-request rows go to requests.csv. */
  raw: RawMode;
  /** The preset this run belongs to (`windows-skew`), if any. */
  preset?: string;
  options: RunOptions;
  label: string | null;
  json: boolean;
  /** Render report.html, report.md and the SVG charts after the run (off with --no-report). */
  report: boolean;
  /** --quiet: no live view, no round progress (the strategy lines and the tables only). */
  quiet: boolean;
  /**
   * --node / --baseline-node given as versions: installed (or found in the cache) by `withNodes`
   * when the command runs, before anything starts; `options` then holds their binaries.
   */
  nodeVersions?: { node?: string; baseline?: string };
}

/** The request with its --node / --baseline-node versions resolved to binaries (`resolve`: flag-values.ts resolveNode). */
export function withNodes(req: BenchRequest, resolve: (choice: NodeChoice, flag: string) => string): BenchRequest {
  const v = req.nodeVersions;
  if (v === undefined) return req;
  const { nodeVersions: _, ...rest } = req;
  const options = { ...req.options };
  if (v.node !== undefined) options.node = resolve({ version: v.node }, 'node');
  if (v.baseline !== undefined) options.baseline = { ...options.baseline, node: resolve({ version: v.baseline }, 'baseline-node') };
  return { ...rest, options };
}

/** Flags that configure the clusters a run starts: meaningless with --target. */
const CLUSTER_FLAGS = [
  'policy',
  'workers',
  'server',
  'work',
  'host',
  'port',
  'backlog',
  'node',
  'fault',
  'respawn',
  'strategy-file',
  'app',
  'baseline-node',
  'baseline-strategy-file',
  'baseline-checkout',
] as const;

/** Every run a command line asks for: one, or each run of its --preset (its flags, then the ones given). */
export function parseBenchPlan(values: FlagValues, positionals: readonly string[]): BenchRequest[] {
  const name = values.preset as string | undefined;
  if (name === undefined) return [parseBench(values, positionals)];
  const preset = Object.hasOwn(PRESETS, name) ? PRESETS[name] : undefined;
  if (!preset) throw new UsageError(msg.preset(name, Object.keys(PRESETS).join(', ')));
  return preset.runs.map((run) => {
    const req = parseBench({ ...parseFlags(run.args, FLAGS, false).values, ...values }, positionals);
    const label =
      preset.runs.length === 1 ? ((values.label as string | undefined) ?? run.label) : [values.label, run.label].filter(Boolean).join(' ');
    return { ...req, preset: name, label };
  });
}

/** --baseline-*: the other side of an A/B run, checked; undefined for a plain run. */
function baselineFlags(
  node: NodeChoice | undefined,
  strategyFile: string | undefined,
  checkout: string | undefined,
  currentFile: string | undefined,
): RunOptions['baseline'] {
  if (node === undefined && strategyFile === undefined && checkout === undefined) return undefined;
  if (strategyFile !== undefined && currentFile === undefined) throw new UsageError(msg.needs('baseline-strategy-file', 'strategy-file'));
  if (checkout !== undefined) {
    try {
      checkoutPrimary(checkout);
    } catch (err) {
      throw new UsageError(msg.checkout(checkout, (err as Error).message));
    }
  }
  // A version is installed when the run starts (withNodes); a baseline of it alone is still an A/B run.
  return {
    ...(node !== undefined && 'path' in node && { node: node.path }),
    ...(strategyFile !== undefined && { strategyFile: path.resolve(strategyFile) }),
    ...(checkout !== undefined && { checkout: path.resolve(checkout) }),
  };
}

/**
 * --app FILE: readable, and alone (the app is the server and does its own work). Its hash is taken
 * here; loading it and a trial request come before any cluster starts (runner/user-app.ts).
 */
export function appFlag(file: string | undefined, values: FlagValues): { file: string; sha256: string } | undefined {
  if (file === undefined) return undefined;
  for (const f of ['server', 'work'] as const)
    if (values[f] !== undefined) throw new UsageError(`--${f} does not go with --app (the app is the server, and does its own work)`);
  try {
    return { file: path.resolve(file), sha256: sha256Of(readFileSync(file)) };
  } catch (err) {
    throw new UsageError(`invalid --app '${file}': cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

/** Parsed flags -> a complete, validated request. Bad input: UsageError naming the value; nothing started. */
export function parseBench(values: FlagValues, positionals: readonly string[]): BenchRequest {
  if (positionals.length > 0) throw new UsageError(msg.positional(positionals[0]));
  const str = (k: keyof typeof FLAGS): string | undefined => values[k] as string | undefined;
  const num = (k: keyof typeof FLAGS, min: number, max: number, flag: string = k): number | undefined =>
    str(k) === undefined ? undefined : int(flag, str(k), NaN, min, max);

  const strategyFile = str('strategy-file');
  // A strategy of the user's runs alone unless --policy names built-ins to compare it with.
  const names = policyFlag(str('policy') ?? (strategyFile === undefined ? 'all' : ''), strategyFile !== undefined);
  const server = serverFlag(str('server'));
  const load = loadFlag(str('load'));
  for (const [flag, f] of Object.entries(FLAGS) as Array<[string, BenchFlag]>)
    if (f.modes && values[flag] !== undefined && !f.modes.includes(load)) throw new UsageError(msg.notForLoad(flag, load, f.modes));
  const work = str('work') === undefined ? undefined : workFlag(str('work'));
  const target = urlFlag('target', str('target'));
  const targetStats = urlFlag('target-stats', str('target-stats'));
  if (targetStats !== undefined && target === undefined) throw new UsageError(msg.needs('target-stats', 'target'));
  if (target !== undefined && values['client-addrs'] !== undefined)
    throw new UsageError(msg.notWithTarget('client-addrs', 'yet (it spreads the connections of our own clusters)'));
  if (target !== undefined && values.clients !== undefined && values.clients !== '1')
    throw new UsageError(msg.notWithTarget('clients', 'yet (one load-generator process drives a target)'));
  if (target !== undefined)
    for (const flag of CLUSTER_FLAGS)
      if (values[flag] !== undefined) throw new UsageError(msg.notWithTarget(flag, '(the server there is not started by this run)'));
  const host = str('host');
  if (host !== undefined && !isLoopback(host)) throw new UsageError(msg.host(host));
  // 127.0.0.2 passes as loopback but exists only on Linux (or as an alias): refused here, not at listen or connect.
  if (host !== undefined) checkLoopback(`--host ${host}`, [host], process.platform, localAddresses());
  if (target !== undefined) checkLoopback(`--target ${target}`, [new URL(target).hostname], process.platform, localAddresses());
  const fault = faultFlag(str('fault'));
  const node = nodeFlag(str('node'));
  const baselineNode = nodeFlag(str('baseline-node'), 'baseline-node');
  const versionOf = (c: NodeChoice | undefined): string | undefined => (c !== undefined && 'version' in c ? c.version : undefined);
  const nodeVersions = { node: versionOf(node), baseline: versionOf(baselineNode) };
  const baseline = baselineFlags(baselineNode, str('baseline-strategy-file'), str('baseline-checkout'), strategyFile);
  const app = appFlag(str('app'), values);
  if (app !== undefined && values['baseline-checkout'] !== undefined)
    throw new UsageError("--app does not go with --baseline-checkout (that checkout's workers would serve their own app)");

  const input: OptionsInput = {
    policies: names,
    workers: num('workers', 1, 256),
    server,
    work,
    host,
    port: num('port', 0, 65535),
    backlog: num('backlog', 1, 65535),
    seed: num('seed', 0, 2 ** 32 - 1),
    roundTimeoutMs: num('round-timeout', 100, 600_000),
    out: str('out'),
    runs: num('runs', 1, 1000),
    warmup: num('warmup', 0, 100),
    baseline,
    clients: num('clients', 1, 256),
    clientAddrs: clientAddrsFlag(str('client-addrs')),
    target,
    targetStats,
    fault,
    respawn: values.respawn === true,
    ...(strategyFile !== undefined && { strategyFile: path.resolve(strategyFile) }),
    ...(app !== undefined && { app }),
    ...(target !== undefined && { policies: [] }),
    ...(node !== undefined && 'path' in node && { node: node.path }),
    load,
    connections: num('connections', 1, 100_000),
    rounds: num('rounds', 1, 10_000),
    duration: num('duration', 1, 3600),
    rate: num('rate', 1, 100_000),
  };
  const options = resolveOptions(input);
  checkFaultRound(options);
  // A load the open-file limit or the ephemeral ports cannot take: one sentence, exit 2, before any process starts.
  const tooBig = checkLoadLimits({
    connections: loadDef(options).connectionsAtOnce(options),
    clients: options.clients ?? 1,
    ...(options.clientAddrs !== undefined && { clientAddrs: options.clientAddrs }),
    openFileLimit: openFileLimit(),
    portRange: readPortRange(),
  });
  if (tooBig !== null) throw new UsageError(tooBig);
  checkWritable(options.out);
  return {
    options,
    raw: parseRaw(str('raw') ?? 'all'),
    label: str('label') ?? null,
    json: values.json === true,
    report: values['no-report'] !== true,
    quiet: values.quiet === true,
    ...((nodeVersions.node ?? nodeVersions.baseline) !== undefined && { nodeVersions }),
  };
}
