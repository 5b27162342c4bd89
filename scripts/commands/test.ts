// `npm test`, `npm run test:unit`, `npm run test:e2e`: the uvu suites in dist/test (tsc compiles
// them just before), in two tiers, each one uvu process:
//
//   unit  every test outside test/e2e/, in one process loaded with test/helpers/unit-guard.ts:
//         starting a process, listening or connecting throws there, so a misfiled test fails
//   e2e   test/e2e/ (mirroring the tree): the CLI, real clusters, sockets, the browser
//
//   --tier (npm test: both, unit first) -> per tier: uvu's output streamed, its Total / Passed /
//   Skipped read, one line -> the skipped tests and why -> the plain line CI reads (.ci/run):
//   "N passed, N failed, N skipped", summed over the tiers.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { msg, UsageError } from '../../format/errors.js';
import { type Command, INTERRUPTED_EXIT } from '../lib/command.js';

const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const UVU = path.join(ROOT, 'node_modules', 'uvu', 'bin.js'); // uvu exports no package.json to resolve
const DIST_TEST = path.join(ROOT, 'dist', 'test');

/** Each tier: where its files are, which to leave out, what the process is loaded with. */
export const TIERS = {
  unit: { dir: DIST_TEST, ignore: ['^e2e([\\\\/]|$)'], guard: path.join(DIST_TEST, 'helpers', 'unit-guard.js') },
  e2e: { dir: path.join(DIST_TEST, 'e2e'), ignore: [], guard: undefined },
} as const;
export type TierName = keyof typeof TIERS;
const TIER_CHOICES = ['all', ...Object.keys(TIERS)];

/** How test/helpers/skip.ts starts the stderr line of a skipped test. */
export const SKIP_MARK = 'SKIPPED: ';

export interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}

/** uvu's summary (`Total:`, `Passed:`, `Skipped:`) as counts; null when it never printed one (a crash on import). */
export function countsOf(stdout: string): Counts | null {
  const num = (label: string): number => Number((stdout.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm')) ?? [])[1] ?? NaN);
  const [total, passed] = [num('Total'), num('Passed')];
  if (!Number.isFinite(total) || !Number.isFinite(passed)) return null;
  return { passed, failed: total - passed, skipped: num('Skipped') || 0 };
}

/**
 * A tier's counts as the summary shows them. No uvu summary: it crashed (an import or syntax
 * error). A failed exit with nothing failed: the process failed after its tests (the unit guard
 * refused a call that a test caught). Each is one failure.
 */
export function tierCounts(counts: Counts | null, code: number | null): { counts: Counts; note: string } {
  if (counts === null) return { counts: { passed: 0, failed: 1, skipped: 0 }, note: ' (no uvu summary: it crashed)' };
  if (code !== 0 && counts.failed === 0) return { counts: { ...counts, failed: 1 }, note: ` (exit ${code} after its tests)` };
  return { counts, note: '' };
}

/** The skipped tests' lines (name and reason) in a tier's stderr. */
export const skipsOf = (stderr: string): string[] =>
  stderr
    .split('\n')
    .filter((l) => l.startsWith(SKIP_MARK))
    .map((l) => l.slice(SKIP_MARK.length).trim());

/** Compiled tests whose source is gone (moved or deleted; tsc never removes its output), relative to dist/test. */
function staleOutputs(): string[] {
  if (!existsSync(DIST_TEST)) return [];
  return (readdirSync(DIST_TEST, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .filter((f) => !existsSync(path.join(ROOT, 'test', f.replace(/\.js$/, '.ts'))));
}

const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

let running: ChildProcess | undefined;

/** One tier: uvu over its folder, output streamed as it comes; its counts and skip lines. */
function runTier(
  name: TierName,
  pattern: string,
  stale: readonly string[],
  io: { out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): Promise<{ counts: Counts | null; code: number | null; skips: string[] }> {
  const tier = TIERS[name];
  const below = path.relative(DIST_TEST, tier.dir);
  const ignores = [
    ...tier.ignore,
    ...stale.filter((f) => below === '' || f.startsWith(below + path.sep)).map((f) => `^${escapeRegex(path.relative(below, f))}$`),
  ];
  // A pattern ('cli') still selects only test files, never their .js.map beside them.
  const files = `^(?=.*(?:${pattern})).*\\.test\\.js$`;
  const args = [
    '--enable-source-maps',
    ...(tier.guard ? ['--import', pathToFileURL(tier.guard).href] : []),
    UVU,
    tier.dir,
    files,
    '--no-color',
    ...ignores.flatMap((i) => ['--ignore', i]),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    running = child;
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      stdout += s;
      io.out.write(s);
    });
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      io.err.write(s);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      running = undefined;
      resolve({ counts: countsOf(stdout), code, skips: skipsOf(stderr) });
    });
  });
}

const line = (c: Counts): string => `${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`;

export const testCommand: Command<{ tiers: TierName[]; pattern: string }> = {
  name: 'test',
  summary: 'Run the unit tier (in-process) and the end-to-end tier (test/e2e/), each one uvu process over dist/test.',
  usage: '[PATTERN] [flags]',
  notes: [
    'PATTERN: a regex the test file paths must also match (npm test -- cli).\n' +
      'npm run test:unit and npm run test:e2e are --tier unit and --tier e2e. The unit tier runs with\n' +
      'test/helpers/unit-guard.ts loaded: a child process, a listening server or an outgoing connection\n' +
      'throws there, naming the rule. Ends with "N passed, N failed, N skipped" over the tiers run.',
  ],
  flags: { tier: { type: 'string', value: 'TIER', shown: 'all', description: `which tests: ${TIER_CHOICES.join(', ')} (unit first)` } },
  positionals: true,
  examples: ['npm test', 'npm run test:unit -- strategies', 'npm run test:e2e -- cli/interrupt'],
  exitCodes: `0 every test passed, 1 a test failed or a tier crashed, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse(values, positionals) {
    const tier = (values.tier as string | undefined) ?? 'all';
    if (!TIER_CHOICES.includes(tier)) throw new UsageError(msg.tier(tier, TIER_CHOICES.join(', ')));
    if (positionals.length > 1) throw new UsageError(msg.positional(positionals[1]));
    return { tiers: tier === 'all' ? (Object.keys(TIERS) as TierName[]) : [tier as TierName], pattern: positionals[0] ?? '' };
  },
  cleanup: async () => void running?.kill('SIGTERM'),
  async run({ tiers, pattern }, { out, err }) {
    const stale = staleOutputs();
    for (const f of stale)
      err.write(`not run: dist/test/${f} (its source test/${f.replace(/\.js$/, '.ts')} is gone: stale build output)\n`);
    const total: Counts = { passed: 0, failed: 0, skipped: 0 };
    const skips: string[] = [];
    let ok = true;
    for (const name of tiers) {
      out.write(`\n== ${name}\n`);
      const t0 = performance.now();
      const r = await runTier(name, pattern, stale, { out, err });
      const { counts: c, note } = tierCounts(r.counts, r.code);
      ok &&= r.code === 0 && c.failed === 0;
      out.write(`${name}: ${line(c)}${note} in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
      skips.push(...r.skips);
    }
    if (skips.length > 0) out.write(`\nskipped:\n${skips.map((s) => `  ${s}\n`).join('')}`);
    out.write(`${line(total)}\n`);
    return ok ? 0 : 1;
  },
};
