// Property: whatever the command line, every command either accepts it (exit 0) or refuses it
// with exit 2 and one line `error: ...`; never a crash, a stack trace or exit 1. Argv arrays mix
// the command's real flag names (its own table; now and then --help or --debug) with numbers,
// negatives, huge and NaN-ish values, empty strings, unicode, `--flag=value` forms, unknown
// flags, `--` and positionals; --config files hold random JSON. The command's run() is replaced
// by `exit 0`: what is tested is parsing and validation, and a valid command line never starts a
// benchmark. compare, which only reads, is also run for real with its outputs written anywhere.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import { perfDispatch } from '../../../perf/commands/dispatch.js';
import { perfOverhead } from '../../../perf/commands/overhead.js';
import { perfPick } from '../../../perf/commands/pick.js';
import { perfScale } from '../../../perf/commands/scale.js';
import { METRIC_IDS } from '../../../reports/compare.js';
import { bench } from '../../../scripts/commands/bench.js';
import { compare } from '../../../scripts/commands/compare.js';
import { nodeGet } from '../../../scripts/commands/node-get.js';
import { report } from '../../../scripts/commands/report.js';
import { schema } from '../../../scripts/commands/schema.js';
import { serveCommand } from '../../../scripts/commands/serve.js';
import type { Command } from '../../../scripts/lib/command.js';
import { fail, notOneErrorLine, runInProcess, SEED, runs as scaled } from '../../helpers/property.js';
import { ROOT } from '../../helpers/schema.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-prop-flags-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

// Places a path flag may name: a writable folder, one not there yet, one under a regular file,
// a regular file, a folder that cannot be created, the real fixtures, nothing.
const plain = path.join(tmp, 'plain.txt');
writeFileSync(plain, 'not json\n');
mkdirSync(path.join(tmp, 'dir'));
/** --config: its contents are generated per case and written here before the run. */
const CONFIG = path.join(tmp, 'config.json');
const FIXTURE = path.join(ROOT, 'test', 'fixtures', 'results', 'burst-v1.json');
const PATHS = [
  path.join(tmp, 'dir'),
  path.join(tmp, 'new', 'deeper'),
  path.join(plain, 'under-a-file'),
  plain,
  CONFIG,
  FIXTURE,
  path.dirname(FIXTURE),
  '/proc/no-such/dir',
  path.join(tmp, 'missing.json'),
];

/** Values that mean something to some flag (policies, modes, work, faults, URLs, hosts, thresholds...), valid or nearly. */
const DOMAIN = [
  ...['rr', 'none', 'lc', 'least-connections', 'random', 'all', 'rr,none', 'rr,', ',', 'rr,rr', 'none,rr', 'RR', 'rr, none'],
  ...['http', 'fastify', 'burst', 'sustained', 'churn', 'open', 'windows-skew', 'ci'],
  ...['hello', 'cpu:5', 'io:1', 'mixed:10:20', 'mixed:0:0', 'mixed:101:1', 'cpu:-1', 'cpu:', 'io:1e9'],
  ...['kill-worker:1', 'hang-worker:2', 'exit-worker:99', 'slow-worker:50', 'slow-worker:0', 'kill-worker:0', 'kill-worker:'],
  ...['sample:0.5', 'sample:0', 'sample:1', 'sample:1.5', 'sample:', 'sample:-1'],
  ...['http://127.0.0.1:3000/', 'http://127.0.0.1:3000/stats', 'https://127.0.0.1/', 'ftp://x', 'http://', 'http://[::1]:1/'],
  ...['127.0.0.1', '127.1.2.3', '0.0.0.0', '::1', 'localhost', '10.0.0.1', '127.0.0.256'],
  ...['gab', 'csv', 'rps=0.05', 'rps=-1', 'jain=abc', 'nope=1', 'rps', '=', 'rps=0.05,p99=0.3', 'rps=,', 'rps=Infinity'],
  ...['0.05', '0.5', '0.999', '1', '0', '22', '22.12.0', 'v22', 'linux node20'],
];

/** Numbers as a user might type them, and the edges of parsing: signs, exponents, hex, spaces, other digits. */
const ODD = [
  ...['', ' ', '0', '-0', '+1', '1e3', '1e309', '-1e309', 'Infinity', '-Infinity', 'NaN', '0x10', '0b1', '0o7', '1.5', '1.', '.5'],
  ...[' 4 ', '4 ', '\t4', '９', '٣', '1_000', '1,000', '9007199254740993', '99999999999999999999', '4294967296', '65536'],
  ...['null', 'undefined', 'true', 'false', '[]', '{}', '-', '--', '---', '-1', '-h', '--help', '--debug', '=', '==1'],
  ...['\n', 'a\nb', '\r\n', '\u0000', '💥', 'é', '\u202e', '\u2028', '"', "'", '\\', '%s', '$' + '{x}', '../../etc'],
];

const numberText = fc
  .oneof(fc.integer({ min: -20, max: 300 }), fc.integer(), fc.double(), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }))
  .map(String);

const anyValue = fc.oneof(
  { weight: 3, arbitrary: numberText },
  { weight: 3, arbitrary: fc.constantFrom(...DOMAIN) },
  { weight: 2, arbitrary: fc.constantFrom(...ODD) },
  { weight: 2, arbitrary: fc.constantFrom(...PATHS) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
);

/** Flags that run the file they name (`PATH --version`, a module imported): never arbitrary text. */
const RUNS_ITS_FILE = new Set(['node', 'strategy-file']);

/**
 * A value for flag `name`: for one that runs its file, only the places above. A flag that names a
 * file or folder (FILE, DIR) mostly gets places; --config mostly the generated config file.
 */
function valueFor(name: string, flag: Flag): fc.Arbitrary<string> {
  if (RUNS_ITS_FILE.has(name)) return fc.constantFrom(process.execPath, ...PATHS, '', 'no-such-file');
  if (name === 'config') return fc.oneof({ weight: 4, arbitrary: fc.constant(CONFIG) }, anyValue);
  if (flag.value === 'FILE' || flag.value === 'DIR') return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...PATHS) }, anyValue);
  return anyValue;
}

interface Flag {
  type: 'string' | 'boolean';
  value?: string;
}

/** A flag of the table with a value: `--flag value`, `--flag=value`, or (`bare`) `--flag` alone. */
function knownFlag(flags: Record<string, Flag>, forms: readonly string[]): fc.Arbitrary<string[]> {
  return fc
    .constantFrom(...Object.keys(flags))
    .chain((name) => fc.tuple(fc.constant(name), valueFor(name, flags[name]), fc.constantFrom(...forms)))
    .map(([name, value, form]): string[] => {
      if (form === 'bare' || (flags[name].type === 'boolean' && form === 'separate')) return [`--${name}`];
      return form === 'equals' ? [`--${name}=${value}`] : [`--${name}`, value];
    });
}

const unknownFlag = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 10 }).map((s) => `--${s}`),
  fc.constantFrom('-x', '-w', '-h', '-', '--', '--no-json', '--Workers', '--policy-x', '--=1', '---workers'),
);
const positional = fc.oneof(fc.constantFrom(...PATHS, ...DOMAIN), fc.string({ unit: 'binary', maxLength: 8 }));

/** Anything: flags of the table in every form, unknown and short flags, `--`, positionals. */
function anyArgv(flags: Record<string, Flag>, maxTokens: number): fc.Arbitrary<string[][]> {
  const others = [
    { weight: 1, arbitrary: unknownFlag.map((u) => [u]) },
    { weight: 1, arbitrary: positional.map((p) => [p]) },
  ];
  const token =
    Object.keys(flags).length === 0
      ? fc.oneof(...others)
      : fc.oneof({ weight: 8, arbitrary: knownFlag(flags, ['separate', 'separate', 'equals', 'equals', 'bare']) }, ...others);
  return fc.array(token, { maxLength: maxTokens });
}

/**
 * Well-formed: the positionals the command needs (two result files for compare...) and flags of
 * its table, each with a value: these get past the flag parser to the command's own validation.
 */
function wellFormed(flags: Record<string, Flag>, maxTokens: number, positionals: fc.Arbitrary<string[]>): fc.Arbitrary<string[][]> {
  const flagTokens =
    Object.keys(flags).length === 0 ? fc.constant([]) : fc.array(knownFlag(flags, ['separate', 'equals']), { maxLength: maxTokens });
  return fc.tuple(positionals, flagTokens).map(([p, f]) => [p, ...f]);
}

/**
 * Either shape, and now and then --help (the page, exit 0, before any validation) or --debug (a
 * stack after the error line, on purpose) at a random place: rare, or they would hide most cases.
 */
const argvFor = (flags: Record<string, Flag>, maxTokens: number, positionals: fc.Arbitrary<string[]>): fc.Arbitrary<string[]> =>
  fc
    .tuple(
      fc.oneof(anyArgv(flags, maxTokens), wellFormed(flags, maxTokens, positionals)),
      fc.oneof(
        { weight: 12, arbitrary: fc.constant([]) },
        { weight: 1, arbitrary: fc.constantFrom(['--help'], ['--debug'], ['--help=1']) },
      ),
      fc.nat(),
    )
    .map(([ts, common, at]) => {
      const i = at % (ts.length + 1);
      return [...ts.slice(0, i), common, ...ts.slice(i)].flat();
    });

/** --config contents: random JSON, the shape it should have with random values, or text that is not JSON. */
const configText = fc.oneof(
  fc.jsonValue().map((v) => JSON.stringify(v)),
  fc
    .record(
      {
        thresholds: fc.oneof(
          fc.dictionary(fc.oneof(fc.constantFrom(...METRIC_IDS), fc.string({ maxLength: 6 })), fc.jsonValue(), { maxKeys: 4 }),
          fc.jsonValue(),
        ),
        alpha: fc.jsonValue(),
      },
      { requiredKeys: [] },
    )
    .map((v) => JSON.stringify(v)),
  fc.constantFrom('', '{', 'null', '[]', '"x"', '5', '{"thresholds":null}', '{"thresholds":{"rps":0.1},"alpha":0.01}'),
);

/** The command with its run() replaced: a valid command line ends here, with exit 0. */
const parseOnly = <T>(c: Command<T>): Command<T> => ({ ...c, run: async () => 0 });

async function check<T>(c: Command<T>, argv: string[]): Promise<void> {
  let r: Awaited<ReturnType<typeof runInProcess>>;
  try {
    r = await runInProcess(parseOnly(c), argv);
  } catch (e) {
    throw new Error(`runCommand threw (${(e as Error).stack})\n  argv: ${JSON.stringify(argv)}`);
  }
  if (r.code === 0) {
    if (r.err !== '') throw fail('exit 0 but something on stderr', argv, r);
    return;
  }
  if (r.code !== 2) throw fail(`exit ${r.code}: bad input is exit 2`, argv, r);
  if (argv.includes('--debug')) {
    // The stack is asked for; the first line is still the error.
    if (!/^error: \S/.test(r.err)) throw fail('--debug: the first line is not `error: `', argv, r);
    return;
  }
  const wrong = notOneErrorLine(r.err);
  if (wrong) throw fail(wrong, argv, r);
}

const none = fc.constant<string[]>([]);
const FIXTURES_DIR = path.dirname(FIXTURE);
const COMMANDS: Array<{ c: Command<any>; runs: number; tokens: number; positionals: fc.Arbitrary<string[]> }> = [
  { c: bench, runs: 400, tokens: 7, positionals: none },
  { c: serveCommand, runs: 250, tokens: 6, positionals: none },
  {
    c: compare,
    runs: 300,
    tokens: 5,
    positionals: fc.constantFrom([FIXTURE, FIXTURE], [FIXTURES_DIR, FIXTURE], [FIXTURE], [FIXTURE, FIXTURE, path.join(tmp, 'dir', 'gab')]),
  },
  { c: report, runs: 150, tokens: 4, positionals: fc.constantFrom([FIXTURES_DIR], [FIXTURES_DIR, path.join(tmp, 'dir')]) },
  { c: perfDispatch, runs: 150, tokens: 6, positionals: none },
  { c: perfOverhead, runs: 150, tokens: 5, positionals: none },
  { c: perfPick, runs: 40, tokens: 3, positionals: none },
  { c: perfScale, runs: 60, tokens: 3, positionals: none },
  { c: nodeGet, runs: 60, tokens: 3, positionals: fc.constantFrom(['22'], ['22.12.0'], ['v22'], ['22', '24']) },
  { c: schema, runs: 40, tokens: 3, positionals: none },
];

for (const { c, runs, tokens, positionals } of COMMANDS) {
  test(`${c.name}: any command line -> exit 0, or exit 2 with one line naming the problem (${runs} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(argvFor(c.flags, tokens, positionals), configText, async (argv, config) => {
        writeFileSync(CONFIG, config);
        await check(c, argv);
      }),
      { seed: SEED, numRuns: scaled(runs), includeErrorInReport: true },
    );
  });
}

/** Every file under `dir`, relative. */
const filesIn = (dir: string): string[] => (readdirSync(dir, { recursive: true }) as string[]).sort();

test('compare, run for real on a result file and itself, writing --md, --html and --export gab anywhere: exit 0 with every file, or 2 with one line and nothing written (150 runs)', async () => {
  let n = 0;
  // Relative to a fresh folder per case, which holds `plain.txt` and `dir/`.
  const target = fc.constantFrom(
    'x.md',
    'dir',
    'dir/x.md',
    'new/deeper/x.md',
    'plain.txt',
    'plain.txt/x.md',
    'plain.txt/a/b',
    '',
    '.',
    '..x',
  );
  const outputs = fc.record({ md: target, html: target, gab: target, json: fc.boolean() }, { requiredKeys: [] });
  await fc.assert(
    fc.asyncProperty(outputs, async (o) => {
      const d = path.join(tmp, `compare-${n++}`);
      mkdirSync(path.join(d, 'dir'), { recursive: true });
      writeFileSync(path.join(d, 'plain.txt'), 'x');
      const at = (t: string): string => (t === '' ? '' : path.join(d, t));
      const argv = [
        FIXTURE,
        FIXTURE,
        ...(o.md === undefined ? [] : ['--md', at(o.md)]),
        ...(o.html === undefined ? [] : ['--html', at(o.html)]),
        ...(o.json ? ['--json'] : []),
        ...(o.gab === undefined ? [] : ['--export', 'gab', at(o.gab)]),
      ];
      // The files asked for (the gab ones are FILE-bigger.json and FILE-smaller.json, FILE being a prefix).
      const wanted = [
        ...[o.md, o.html].filter((t) => t !== undefined).map((t) => at(t as string)),
        ...(o.gab === undefined ? [] : [`${at(o.gab)}-bigger.json`, `${at(o.gab)}-smaller.json`]),
      ];
      const before = filesIn(d);
      const r = await runInProcess(compare, argv);
      const after = filesIn(d);
      const made = wanted.filter((f) => existsSync(f) && statSync(f).isFile());
      for (const f of wanted) if (!f.startsWith(d)) rmSync(f, { force: true }); // `.` as FILE: beside the folder
      rmSync(d, { recursive: true, force: true });
      if (r.code === 0) {
        if (made.length !== wanted.length) throw fail(`exit 0 but not written: ${wanted.filter((f) => !made.includes(f))}`, argv, r);
        return;
      }
      if (r.code !== 2) throw fail(`exit ${r.code}`, argv, r);
      const wrong = notOneErrorLine(r.err);
      if (wrong) throw fail(wrong, argv, r);
      const fresh = after.filter((f) => !before.includes(f));
      if (fresh.length > 0 || wanted.some((f) => !f.startsWith(d) && made.includes(f))) throw fail(`exit 2 but written: ${fresh}`, argv, r);
    }),
    { seed: SEED, numRuns: scaled(150), includeErrorInReport: true },
  );
});

test.run();
