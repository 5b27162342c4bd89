// Every CLI flag in one table: parsing, validation and --help are all driven from it.
import { existsSync, statSync, accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SERVER_NAMES, isServerName } from '../servers/registry.js';
import { parseWork, WORK_FORMS } from '../servers/work.js';
import { resolvePolicies, validPolicyList } from '../strategies/registry.js';
import { newSeed } from '../strategies/rng.js';
import { openFileLimit } from './env.js';
import { msg, UsageError } from './errors.js';
import { flagLines, intFlag as int, parseFlags, type FlagDoc } from './flags.js';
import { LOAD_MODES } from './load/index.js';
import type { LoadMode, RunOptions } from './results.js';


/** `shown` is for --help; the real default is applied in `parseCli`. */
type Flag = FlagDoc;

export const FLAGS = {
  policy: { type: 'string', value: 'LIST', shown: 'all', description: `strategies, comma-separated: ${validPolicyList()}` },
  workers: { type: 'string', value: 'N', shown: 'CPU count', description: 'workers per cluster' },
  load: { type: 'string', value: 'MODE', shown: 'burst', description: `load mode: ${LOAD_MODES.join(', ')}` },
  connections: { type: 'string', value: 'C', shown: '1000 burst, 100 sustained/churn', description: 'concurrent connections (burst: per round)' },
  rounds: { type: 'string', value: 'R', shown: '20', description: 'rounds (burst only)' },
  duration: { type: 'string', value: 'S', shown: '10', description: 'seconds of load (sustained, churn, open)' },
  rate: { type: 'string', value: 'R', shown: '400', description: 'requests per second (open only)' },
  server: { type: 'string', value: 'NAME', shown: 'fastify', description: `worker app: ${SERVER_NAMES.join(', ')}` },
  work: { type: 'string', value: 'PROFILE', shown: 'hello', description: `per-request work: ${WORK_FORMS}` },
  host: { type: 'string', value: 'ADDR', shown: '127.0.0.1', description: 'listen address (loopback only)' },
  port: { type: 'string', value: 'N', shown: '0', description: 'listen port (0: any free port)' },
  backlog: { type: 'string', value: 'N', shown: '4096', description: 'listen backlog, same for every strategy (kernel caps it at somaxconn)' },
  seed: { type: 'string', value: 'N', shown: 'random', description: 'seed for random picks and mixed work (recorded, to repeat a run)' },
  'round-timeout': { type: 'string', value: 'MS', shown: '10000', description: 'deadline per burst round, or drain time after a timed load; requests still open then count as errors' },
  out: { type: 'string', value: 'DIR', shown: 'results', description: 'results folder (a run writes DIR/<run-id>/)' },
  label: { type: 'string', value: 'TEXT', description: 'label for this run in reports (e.g. "linux node20")' },
  json: { type: 'boolean', description: 'print the result JSON to stdout' },
  'no-report': { type: 'boolean', description: 'skip rendering report.html, report.md and the SVG charts after the run' },
  debug: { type: 'boolean', description: 'print stack traces on errors' },
  help: { type: 'boolean', description: 'show this help' },
} as const satisfies Record<string, Flag>;

export interface CliRequest {
  options: RunOptions;
  label: string | null;
  json: boolean;
  debug: boolean;
  /** Render report.html, report.md and the SVG charts after the run (off with --no-report). */
  report: boolean;
}

const EXAMPLES = [
  'npm run bench',
  'npm run bench -- --policy rr',
  'npm run bench -- --policy rr,least-connections --workers 4 --connections 500 --rounds 10',
  'npm run bench -- --policy random --seed 42 --json > run.json',
  'npm run bench -- --load sustained --connections 100 --duration 5',
  'npm run bench -- --load open --rate 400 --work mixed:10:20',
];

/** Flags that only mean something for some load modes: given for another mode, they are an error. */
const ONLY_FOR: Partial<Record<keyof typeof FLAGS, readonly LoadMode[]>> = {
  rounds: ['burst'],
  duration: ['sustained', 'churn', 'open'],
  rate: ['open'],
  connections: ['burst', 'sustained', 'churn'],
};

export function helpText(): string {
  return [
    'cluster-sched-bench: how Node.js cluster spreads connections across workers',
    '',
    'Usage: npm run bench -- [flags]',
    '',
    ...flagLines(FLAGS),
    '',
    'Examples:',
    ...EXAMPLES.map((e) => `  ${e}`),
    '',
    'Exit codes: 0 ok, 1 a failed run or unaccounted requests, 2 bad usage, 130 interrupted.',
  ].join('\n');
}

const isLoopback = (h: string): boolean => h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);

/**
 * Can we create `dir` (or write into it)? Checked before anything is written, so a bad
 * destination writes nothing. `what` names it in the message (default: the runner's --out).
 */
export function checkWritable(dir: string, what?: string): void {
  let probe = path.resolve(dir);
  while (!existsSync(probe)) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  if (!statSync(probe).isDirectory()) throw new UsageError(msg.out(dir, `${probe} is not a directory`, what));
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw new UsageError(msg.out(dir, `${probe} is not writable`, what));
  }
}

/** Connections a burst holds open at once, plus headroom for the runner's own files. */
const FD_HEADROOM = 64;

export function parseCli(argv: string[]): CliRequest | 'help' {
  const { values, positionals } = parseFlags(argv, FLAGS, true);
  if (values.help) return 'help';
  if (positionals.length > 0) throw new UsageError(msg.positional(positionals[0]));
  const str = (k: keyof typeof FLAGS): string | undefined => values[k] as string | undefined;

  const { names, unknown } = resolvePolicies(str('policy') ?? 'all');
  if (unknown.length > 0 || names.length === 0) throw new UsageError(msg.policy(unknown[0] ?? str('policy') ?? '', validPolicyList()));
  const server = str('server') ?? 'fastify';
  if (!isServerName(server)) throw new UsageError(msg.server(server, SERVER_NAMES.join(', ')));
  const load = (str('load') ?? 'burst') as LoadMode;
  if (!LOAD_MODES.includes(load)) throw new UsageError(msg.load(load, LOAD_MODES.join(', ')));
  for (const [flag, modes] of Object.entries(ONLY_FOR))
    if (values[flag] !== undefined && !modes.includes(load)) throw new UsageError(msg.notForLoad(flag, load, modes));
  const timed = load !== 'burst';
  const work = str('work') ?? 'hello';
  try {
    parseWork(work);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const host = str('host') ?? '127.0.0.1';
  if (!isLoopback(host)) throw new UsageError(msg.host(host));

  const options: RunOptions = {
    policies: names,
    workers: int('workers', str('workers'), os.availableParallelism(), 1, 256),
    load,
    connections: int('connections', str('connections'), timed ? 100 : 1000, 1, 100_000),
    rounds: timed ? 1 : int('rounds', str('rounds'), 20, 1, 10_000),
    ...(timed && { duration: int('duration', str('duration'), 10, 1, 3600) }),
    ...(load === 'open' && { rate: int('rate', str('rate'), 400, 1, 100_000) }),
    server,
    work,
    host,
    port: int('port', str('port'), 0, 0, 65535),
    backlog: int('backlog', str('backlog'), 4096, 1, 65535),
    seed: int('seed', str('seed'), newSeed(), 0, 2 ** 32 - 1),
    roundTimeoutMs: int('round-timeout', str('round-timeout'), 10_000, 100, 600_000),
    out: str('out') ?? 'results',
  };
  const limit = openFileLimit();
  const need = options.connections + FD_HEADROOM;
  if (load !== 'open' && limit !== null && need > limit) throw new UsageError(msg.fdLimit(options.connections, limit, need));
  checkWritable(options.out);
  return { options, label: str('label') ?? null, json: values.json === true, debug: values.debug === true, report: values['no-report'] !== true };
}
