// `npm run bench` flags: one table drives parsing, validation and --help; defaults come from
// runner/options.ts (the only place they are written).

import { msg, UsageError } from '../../format/errors.js';
import { checkWritable } from '../../format/io.js';
import { LOAD_MODES, type LoadMode } from '../../format/schema.js';
import { openFileLimit } from '../../runner/env.js';
import { DEFAULTS, loadDefaultText, type OptionsInput, type RunOptions, resolveOptions } from '../../runner/options.js';
import { isServerName, SERVER_NAMES } from '../../servers/registry.js';
import { parseWork, WORK_FORMS } from '../../servers/work.js';
import { resolvePolicies, validPolicyList } from '../../strategies/registry.js';
import type { FlagValues } from './command.js';
import { type FlagDoc, intFlag as int } from './flags.js';

interface BenchFlag extends FlagDoc {
  /** Load modes the flag means something for: given with another --load, it is refused. */
  modes?: readonly LoadMode[];
}

const TIMED: readonly LoadMode[] = ['sustained', 'churn', 'open'];
const CONNECTED: readonly LoadMode[] = ['burst', 'sustained', 'churn'];

export const FLAGS = {
  policy: { type: 'string', value: 'LIST', shown: 'all', description: `strategies, comma-separated: ${validPolicyList()}` },
  workers: { type: 'string', value: 'N', shown: 'CPU count', description: 'workers per cluster' },
  load: { type: 'string', value: 'MODE', shown: DEFAULTS.load, description: `load mode: ${LOAD_MODES.join(', ')}` },
  connections: {
    type: 'string',
    value: 'C',
    modes: CONNECTED,
    shown: loadDefaultText('connections', CONNECTED),
    description: 'concurrent connections (burst: per round)',
  },
  rounds: { type: 'string', value: 'R', modes: ['burst'], shown: loadDefaultText('rounds', ['burst']), description: 'rounds (burst only)' },
  duration: {
    type: 'string',
    value: 'S',
    modes: TIMED,
    shown: loadDefaultText('duration', TIMED),
    description: 'seconds of load (sustained, churn, open)',
  },
  rate: {
    type: 'string',
    value: 'R',
    modes: ['open'],
    shown: loadDefaultText('rate', ['open']),
    description: 'requests per second (open only)',
  },
  server: { type: 'string', value: 'NAME', shown: DEFAULTS.server, description: `worker app: ${SERVER_NAMES.join(', ')}` },
  work: { type: 'string', value: 'PROFILE', shown: DEFAULTS.work, description: `per-request work: ${WORK_FORMS}` },
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
  label: { type: 'string', value: 'TEXT', description: 'label for this run in reports (e.g. "linux node20")' },
  json: { type: 'boolean', description: 'print the result JSON to stdout' },
  'no-report': { type: 'boolean', description: 'skip rendering report.html, report.md and the SVG charts after the run' },
} as const satisfies Record<string, BenchFlag>;

export const EXAMPLES = [
  'npm run bench',
  'npm run bench -- --policy rr',
  'npm run bench -- --policy rr,least-connections --workers 4 --connections 500 --rounds 10',
  'npm run bench -- --policy random --seed 42 --json > run.json',
  'npm run bench -- --load sustained --connections 100 --duration 5',
  'npm run bench -- --load open --rate 400 --work mixed:10:20',
];

export interface BenchRequest {
  options: RunOptions;
  label: string | null;
  json: boolean;
  /** Render report.html, report.md and the SVG charts after the run (off with --no-report). */
  report: boolean;
}

const isLoopback = (h: string): boolean => h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);

/** Connections a burst holds open at once, plus headroom for the runner's own files. */
const FD_HEADROOM = 64;

/** Parsed flags -> a complete, validated request. Bad input: UsageError naming the value; nothing started. */
export function parseBench(values: FlagValues, positionals: readonly string[]): BenchRequest {
  if (positionals.length > 0) throw new UsageError(msg.positional(positionals[0]));
  const str = (k: keyof typeof FLAGS): string | undefined => values[k] as string | undefined;
  const num = (k: keyof typeof FLAGS, min: number, max: number, flag: string = k): number | undefined =>
    str(k) === undefined ? undefined : int(flag, str(k), NaN, min, max);

  const policy = str('policy') ?? 'all';
  const { names, unknown } = resolvePolicies(policy);
  if (unknown.length > 0 || names.length === 0) throw new UsageError(msg.policy(unknown[0] ?? policy, validPolicyList()));
  const server = str('server') ?? DEFAULTS.server;
  if (!isServerName(server)) throw new UsageError(msg.server(server, SERVER_NAMES.join(', ')));
  const load = (str('load') ?? DEFAULTS.load) as LoadMode;
  if (!LOAD_MODES.includes(load)) throw new UsageError(msg.load(load, LOAD_MODES.join(', ')));
  for (const [flag, f] of Object.entries(FLAGS) as Array<[string, BenchFlag]>)
    if (f.modes && values[flag] !== undefined && !f.modes.includes(load)) throw new UsageError(msg.notForLoad(flag, load, f.modes));
  const work = str('work');
  if (work !== undefined) {
    try {
      parseWork(work);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
  }
  const host = str('host');
  if (host !== undefined && !isLoopback(host)) throw new UsageError(msg.host(host));

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
    load,
    connections: num('connections', 1, 100_000),
    rounds: num('rounds', 1, 10_000),
    duration: num('duration', 1, 3600),
    rate: num('rate', 1, 100_000),
  };
  const options = resolveOptions(input);
  const limit = openFileLimit();
  const need = options.connections + FD_HEADROOM;
  if (options.load !== 'open' && limit !== null && need > limit) throw new UsageError(msg.fdLimit(options.connections, limit, need));
  checkWritable(options.out);
  return { options, label: str('label') ?? null, json: values.json === true, report: values['no-report'] !== true };
}
