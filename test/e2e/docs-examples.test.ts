// Every command the README and docs/ show is checked against the CLI, and every one that can run
// here is run, so a stale command fails CI (test/helpers/doc-commands.ts reads them out).
//
//   each command -> its npm script exists -> a Command? parsed by its own flags and parse(), in a
//   scratch folder where the placeholders stand for real files (a bad flag, value or combination
//   fails) -> runnable here? run as its npm script's node command, loads capped to a few seconds
//   (at most 4 workers, 40 connections, 2 rounds or 1 s, 1 repetition or 2 A/B pairs, no warm-up;
//   every strategy becomes rr; no report pages), and it must exit 0 (or as its shown output says:
//   `error:` under a `$ ` prompt is exit 2)
//
//   Placeholders: results/<run-id>, results/A, results/B, results/<anything missing> (run folders
//   made by small benches first), sim/<sim-id>, mine.js and other missing strategy files (a copy
//   of docs/examples/fewest-served.js), --app files (docs/examples/json-app.js), ../base (this
//   checkout), SERVER (127.0.0.1), $(npm run -s node:get -- 22) (this Node). Not run here, and
//   listed: the tool's own benchmarks (minutes each), presets (full size), --target (a second
//   process serving), node:get (downloads), test/lint/build (CI runs them). serve runs for 1 s
//   (--for 1) on free loopback ports.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { PERF_COMMANDS } from '../../perf/commands/index.js';
import { COMMANDS as USER_COMMANDS } from '../../scripts/commands/index.js';
import { COMMON_FLAGS, type Command } from '../../scripts/lib/command.js';
import { parseFlags } from '../../scripts/lib/flags.js';
import { type DocCommand, docCommands, NODE_GET_MARK } from '../helpers/doc-commands.js';

const ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const SCRIPTS = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const COMMANDS = new Map<string, Command<unknown>>([...USER_COMMANDS, ...PERF_COMMANDS].map((c) => [c.name, c]));
const DOCS = [
  'README.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const ALL: DocCommand[] = DOCS.flatMap((f) => docCommands(readFileSync(path.join(ROOT, f), 'utf8'), f));
const where = (c: DocCommand): string => `${c.file}:${c.line}: ${c.text}`;

// The scratch folder: work/ is the current folder (docs/ links to this checkout's), base/ is this checkout.
const SCRATCH = mkdtempSync(path.join(os.tmpdir(), 'csb-docs-'));
const WORK = path.join(SCRATCH, 'work');
mkdirSync(WORK);
symlinkSync(path.join(ROOT, 'docs'), path.join(WORK, 'docs'), 'junction');
symlinkSync(ROOT, path.join(SCRATCH, 'base'), 'junction');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run script -- args` as npm would run it (its `node ...` line), in the scratch folder, without npm. */
function runScript(script: string, args: readonly string[], timeoutMs = 120_000): Promise<Ran> {
  const words = SCRIPTS[script]?.split(' ') ?? [];
  assert.is(words[0], 'node', `npm run ${script} is a node command: ${SCRIPTS[script]}`);
  const argv = words.slice(1).map((w) => (w.startsWith('dist/') ? path.join(ROOT, w) : w));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...argv, ...args], {
      cwd: WORK,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NO_COLOR: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm run ${script} -- ${args.join(' ')}: not done within ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The run folder a bench just wrote (the last `results in DIR` line). */
const runDirOf = (r: Ran): string => path.resolve(WORK, (/results in (\S+?)\/?\s*$/m.exec(r.stderr) ?? [])[1] ?? 'missing');
const SMALL = ['--policy', 'rr,lc', '--workers', '2', '--connections', '40', '--rounds', '2', '--no-report'];
const fixtures = { ab: '', a: '', b: '', sim: '' };

/** Make what the placeholders stand for: three small runs (one A/B) and a simulation. */
async function makeFixtures(): Promise<void> {
  const made = async (args: string[], name: string): Promise<string> => {
    const r = await runScript('bench', [...args, '--out', path.join(SCRATCH, 'made')]);
    assert.is(r.code, 0, `fixture ${name}: ${r.stderr}`);
    const to = path.join(WORK, 'results', name);
    cpSync(runDirOf(r), to, { recursive: true });
    return to;
  };
  fixtures.ab = await made([...SMALL, '--baseline-node', process.execPath, '--runs', '2'], 'ab-run');
  fixtures.a = await made(SMALL, 'A');
  fixtures.b = await made(SMALL, 'B');
  const sim = await runScript('simulate', ['--policy', 'rr', '--workers', '4', '--requests', '2000', '--out', path.join(WORK, 'sim')]);
  assert.is(sim.code, 0, sim.stderr);
  fixtures.sim = path.join(WORK, 'sim', readdirSync(path.join(WORK, 'sim'))[0]);
}

/** The command's words with the placeholders made real. */
function substitute(c: DocCommand): string[] {
  const out: string[] = [];
  for (const [i, raw] of c.args.entries()) {
    const flag = c.args[i - 1] ?? '';
    let a = raw
      .replace(/results\/<run-id>/g, path.relative(WORK, fixtures.ab))
      .replace(/sim\/<sim-id>/g, path.relative(WORK, fixtures.sim))
      .replace(/\bSERVER\b/g, '127.0.0.1');
    if (a.startsWith(NODE_GET_MARK)) a = process.execPath;
    const file = path.resolve(WORK, a);
    if (!a.startsWith('-') && /^(results|sim)\//.test(a) && !existsSync(file)) {
      if (/broken/.test(a)) {
        // A run whose result misses a required field, as the README's example shows.
        cpSync(fixtures.a, file, { recursive: true });
        const json = JSON.parse(readFileSync(path.join(file, 'result.json'), 'utf8'));
        delete json.strategies[json.strategies.length - 1].cpuMs;
        writeFileSync(path.join(file, 'result.json'), JSON.stringify(json));
      } else cpSync(fixtures.ab, path.join(file, path.basename(fixtures.ab)), { recursive: true }); // a folder holding a run
    }
    if (/\.js$/.test(a) && !existsSync(file) && /^--(baseline-)?(strategy-file|app)$/.test(flag)) {
      mkdirSync(path.dirname(file), { recursive: true });
      cpSync(path.join(ROOT, 'docs', 'examples', flag === '--app' ? 'json-app.js' : 'fewest-served.js'), file);
    }
    out.push(a);
  }
  return out;
}

/** Why a command is parsed but not run here; null: run it. */
function notRunBecause(c: DocCommand, args: readonly string[]): string | null {
  if (!COMMANDS.has(c.script)) return 'an npm script with no flags of ours (CI runs it)';
  if (c.script.startsWith('perf:')) return "the tool's own benchmark: minutes";
  if (c.script.startsWith('test')) return 'the test suite itself';
  if (c.script === 'node:get') return 'downloads Node';
  if (c.script === 'schema') return 'rewrites docs/result.schema.json in the checkout';
  if (args.includes('--preset')) return 'a preset: full size';
  if (args.includes('--target')) return 'needs a server at --target (serve, in another terminal)';
  return null;
}

/**
 * serve for 1 s on any free ports of 127.0.0.1 (a fixed port may be taken here; a served address
 * stays on loopback): its other flags as written.
 */
function servedBriefly(args: readonly string[]): string[] {
  const out = [...args];
  const set = (flag: string, value: string): void => {
    const at = out.indexOf(`--${flag}`);
    if (at >= 0) out[at + 1] = value;
    else out.push(`--${flag}`, value);
  };
  set('port', '0');
  if (out.includes('--stats-port')) set('stats-port', '0');
  if (out.includes('--host')) set('host', '127.0.0.1');
  const workers = out.indexOf('--workers');
  if (workers >= 0) out[workers + 1] = String(Math.min(Number(out[workers + 1]), 4));
  set('for', '1');
  return out;
}

/** Loads capped to a few seconds (only flags that apply to the command's load); every other flag as written. */
function capped(c: DocCommand, args: readonly string[]): string[] {
  if (c.script === 'serve') return servedBriefly(args);
  if (c.script !== 'bench' && c.script !== 'simulate') return [...args];
  const cmd = COMMANDS.get(c.script) as Command<unknown>;
  const { values } = parseFlags(args, { ...cmd.flags, ...COMMON_FLAGS }, cmd.positionals ?? false);
  const out = [...args];
  const cap = (flag: string, max: number, add: boolean): void => {
    const at = out.indexOf(`--${flag}`);
    if (at >= 0) out[at + 1] = String(Math.min(Number(out[at + 1]), max));
    else if (add) out.push(`--${flag}`, String(max));
  };
  const ab = args.some((a) => a.startsWith('--baseline-'));
  for (const [flag, max] of Object.entries({
    workers: 4,
    connections: 40,
    rounds: 2,
    duration: 1,
    rate: 200,
    runs: ab ? 2 : 1,
    requests: 2000,
  }))
    cap(flag, c.script === 'simulate' && flag === 'workers' ? 1024 : max, false);
  if (c.script === 'bench' && values.preset === undefined) {
    const load = String(values.load ?? 'burst');
    if (load !== 'open') cap('connections', 40, true);
    if (load === 'burst') cap('rounds', 2, true);
    else cap('duration', 1, true);
    if (ab) cap('runs', 2, true);
    cap('warmup', 0, true);
    // Every strategy (the default, or all) is rr here: the command's other flags are what is checked.
    const policy = out.indexOf('--policy');
    if (policy < 0) out.push('--policy', 'rr');
    else if (out[policy + 1] === 'all') out[policy + 1] = 'rr';
    if (!out.includes('--no-report')) out.push('--no-report');
  }
  if (c.script === 'simulate' && values.like === undefined && values.load === undefined) cap('requests', 2000, true);
  return out;
}

test('the docs show commands, and the reader finds them', () => {
  assert.ok(ALL.length >= 40, `${ALL.length} commands`);
  for (const f of ['README.md', 'docs/strategies.md', 'docs/apps.md'])
    assert.ok(
      ALL.some((c) => c.file === f),
      f,
    );
});

test('every command in the README and docs/ is current, and every one that can run here runs', async () => {
  await makeFixtures();
  const prev = process.cwd();
  process.chdir(WORK);
  const counts = { parsed: 0, ran: 0, scriptOnly: 0 };
  const notRun = new Map<string, number>();
  const failures: string[] = [];
  const timings: Array<[number, string]> = [];
  try {
    for (const c of ALL) {
      const viaTool = c.script === '--version' || c.script === '-v' || c.script === '-h' || c.script === '--help';
      if (viaTool) continue; // the command's own flags: test/e2e/cli/command.test.ts
      if (!Object.hasOwn(SCRIPTS, c.script) && !(COMMANDS.has(c.script) && !c.viaNpm)) {
        failures.push(`${where(c)}: no npm script or command '${c.script}'`);
        continue;
      }
      const args = substitute(c);
      const cmd = COMMANDS.get(c.script);
      if (cmd === undefined) {
        counts.scriptOnly++;
        continue;
      }
      try {
        const { values, positionals } = parseFlags(args, { ...cmd.flags, ...COMMON_FLAGS }, cmd.positionals ?? false);
        cmd.parse(values, positionals);
        counts.parsed++;
      } catch (err) {
        failures.push(`${where(c)}: ${(err as Error).message}`);
        continue;
      }
      const why = notRunBecause(c, args);
      if (why) {
        notRun.set(why, (notRun.get(why) ?? 0) + 1);
        continue;
      }
      const expectError = /^error:/.test(c.shownOutput ?? '');
      const t0 = Date.now();
      const r = await runScript(c.script, capped(c, args));
      timings.push([Date.now() - t0, where(c)]);
      counts.ran++;
      const okCode = expectError ? r.code === 2 : r.code === 0 || (c.script === 'compare' && r.code === 1);
      if (!okCode)
        failures.push(`${where(c)}: exit ${r.code}${expectError ? ' (the docs show an error: 2 expected)' : ''}\n${r.stderr.slice(-600)}`);
      else if (expectError && !r.stderr.startsWith((c.shownOutput ?? '').split(/\s+/).slice(0, 4).join(' ')))
        failures.push(`${where(c)}: the docs show '${c.shownOutput?.trim()}', it printed '${r.stderr.trim()}'`);
    }
  } finally {
    process.chdir(prev);
  }
  const files = new Set(ALL.map((c) => c.file)).size;
  process.stderr.write(
    `  docs examples: ${ALL.length} commands in ${files} files; ${counts.parsed} parsed by their command, ${counts.ran} run, ` +
      `${counts.scriptOnly} npm scripts without flags of ours; not run: ${[...notRun].map(([w, n]) => `${n} ${w}`).join('; ')}\n`,
  );
  const slow = timings.sort((x, y) => y[0] - x[0]).slice(0, 3);
  process.stderr.write(`  slowest: ${slow.map(([ms, w]) => `${(ms / 1000).toFixed(1)} s ${w.split(': ')[0]}`).join(', ')}\n`);
  assert.equal(failures, [], `stale commands:\n${failures.join('\n')}`);
  assert.ok(counts.ran >= 15, `ran ${counts.ran}`);
});

test.after(() => rmSync(SCRATCH, { recursive: true, force: true }));

test.run();
