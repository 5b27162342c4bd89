// The installed command (bin/cluster-sched-bench.js): --version, the overview, each command's -h,
// a clean --json on stdout, and a bench that forks from a copy of the build taken at its start.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLI_COMMANDS } from '../../../scripts/cli.js';
import { BIN, NO_PROC, runCli } from '../../helpers/cli.js';
import { skipIf } from '../../helpers/skip.js';

const ROOT = path.resolve(fileURLToPath(new URL('../../../..', import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string; bin: Record<string, string> };
const bin = (args: string[]) => runCli(args, { entry: BIN, timeoutMs: 30_000 });

test('package.json installs the command under both names, from the plain-JavaScript launcher', () => {
  assert.equal(Object.keys(pkg.bin).sort(), ['cluster-sched-bench', 'csb']);
  for (const f of Object.values(pkg.bin)) assert.is(path.resolve(ROOT, f), BIN);
  assert.match(readFileSync(BIN, 'utf8'), /^#!\/usr\/bin\/env node\n/);
});

test('--version and -v print the package version alone', async () => {
  for (const flag of ['--version', '-v']) {
    const r = await bin([flag]);
    assert.is(r.code, 0);
    assert.is(r.stdout, `${pkg.version}\n`);
  }
});

test('no command, -h and --help print the overview: every command with its summary', async () => {
  for (const args of [[], ['-h'], ['--help']]) {
    const r = await bin(args);
    assert.is(r.code, 0, args.join(' '));
    for (const c of CLI_COMMANDS) assert.ok(r.stdout.includes(`  ${c.name}`) && r.stdout.includes(c.summary), c.name);
  }
});

test('each command answers -h with its own page', async () => {
  for (const c of CLI_COMMANDS) {
    const r = await bin([c.name, '-h']);
    assert.is(r.code, 0, c.name);
    assert.match(r.stdout, new RegExp(`^Usage: cluster-sched-bench ${c.name} `, 'm'));
  }
});

test('an unknown command is one line naming it and the commands, exit 2', async () => {
  const r = await bin(['benhc']);
  assert.is(r.code, 2);
  assert.is(r.stderr.trim().split('\n').length, 1);
  assert.match(r.stderr, "unknown command 'benhc' (commands: bench, serve, report, compare, simulate, schema, node:get");
});

test('bench --json through the command: stdout is the result, nothing else', async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'csb-bin-'));
  try {
    const r = await bin(['bench', '--policy', 'rr', '--workers', '2', '--connections', '100', '--rounds', '2', '--json', '--out', out]);
    assert.is(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.is(result.ok, true);
    assert.is(result.strategies[0].totals.accounted, true);
    assert.is(result.strategies[0].totals.sent, 200);
    assert.is(result.strategies[0].totals.ok, 200);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

skipIf(NO_PROC)('a bench forks its cluster and load from a copy of the build, removed when it exits', async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'csb-bin-'));
  const cache = path.join(ROOT, 'node_modules', '.cache', 'cluster-sched-bench');
  const forked = new Set<string>();
  try {
    const r = await runCli(
      ['--policy', 'rr,none', '--workers', '2', '--connections', '100', '--rounds', '2', '--out', out, '--no-report'],
      {
        onPoll: (procs) => {
          for (const cmd of procs.values()) if (/primary\.js|client\.js/.test(cmd)) forked.add(cmd);
        },
      },
    );
    assert.is(r.code, 0, r.stderr);
    assert.ok(forked.size > 0, 'saw the forked processes');
    const copies = [...forked].map((cmd) => /(\S*code-\d+-\d+)/.exec(cmd)?.[1]);
    for (const [i, cmd] of [...forked].entries()) assert.ok(copies[i]?.startsWith(cache), `forked from dist/, not a copy: ${cmd}`);
    assert.is(new Set(copies).size, 1, 'one copy for the whole run');
    assert.not.ok(existsSync(copies[0] as string), 'the copy is gone after the run');
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test.run();
