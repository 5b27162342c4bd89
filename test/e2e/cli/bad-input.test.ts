// Every bad input, through the real CLI: exit code 2, one line on stderr naming the bad value,
// nothing on stdout, nothing written, no process left behind.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bench } from '../../../scripts/commands/bench.js';
import { COMMON_FLAGS, helpPage } from '../../../scripts/lib/command.js';
import { validPolicyList } from '../../../strategies/registry.js';
import { leftAlive, runCli } from '../../helpers/cli.js';
import { skipIf } from '../../helpers/skip.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-bad-'));
const out = path.join(tmp, 'results'); // must never be created
const file = path.join(tmp, 'a-file');
writeFileSync(file, 'not a directory\n');

test.after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const POLICIES = validPolicyList();
const cases: Array<{ args: string[]; line: string }> = [
  { args: ['--policy', 'bogus'], line: `unknown --policy 'bogus' (valid: ${POLICIES})` },
  { args: ['--policy', 'rr,bogus'], line: `unknown --policy 'bogus' (valid: ${POLICIES})` },
  { args: ['--workers', '0'], line: "invalid --workers '0': expected a whole number from 1 to 256" },
  { args: ['--workers', '-1'], line: "invalid --workers '-1': expected a whole number from 1 to 256" },
  { args: ['--workers', '1.5'], line: "invalid --workers '1.5': expected a whole number from 1 to 256" },
  { args: ['--workers', '257'], line: "invalid --workers '257': expected a whole number from 1 to 256" },
  { args: ['--connections', 'abc'], line: "invalid --connections 'abc': expected a whole number from 1 to 100000" },
  { args: ['--connections', '0'], line: "invalid --connections '0': expected a whole number from 1 to 100000" },
  { args: ['--connections', '-5'], line: "invalid --connections '-5': expected a whole number from 1 to 100000" },
  { args: ['--connections', '1e3'], line: "invalid --connections '1e3': expected a whole number from 1 to 100000" },
  { args: ['--rounds', '0'], line: "invalid --rounds '0': expected a whole number from 1 to 10000" },
  { args: ['--rounds', 'ten'], line: "invalid --rounds 'ten': expected a whole number from 1 to 10000" },
  { args: ['--port', '70000'], line: "invalid --port '70000': expected a whole number from 0 to 65535" },
  { args: ['--seed', '-5'], line: "invalid --seed '-5': expected a whole number from 0 to 4294967295" },
  { args: ['--server', 'nginx'], line: "unknown --server 'nginx' (valid: fastify, http)" },
  {
    args: ['--work', 'cpu:abc'],
    line: "invalid --work 'cpu:abc': MS must be a positive number (valid: hello, cpu:MS, io:MS, mixed:P:MS, exp:MS)",
  },
  { args: ['--bogus'], line: "unknown flag '--bogus' (see --help)" },
  { args: ['--bogus=1'], line: "unknown flag '--bogus' (see --help)" },
  { args: ['-w', '2'], line: "unknown flag '-w' (see --help)" },
  { args: ['rr'], line: "unexpected argument 'rr' (flags start with --; see --help)" },
  { args: ['--runs', '0'], line: "invalid --runs '0': expected a whole number from 1 to 1000" },
  { args: ['--preset', 'bogus'], line: "unknown --preset 'bogus' (valid: windows-skew, ci)" },
  {
    args: ['--fault', 'boom'],
    line: "invalid --fault 'boom': expected NAME:NUMBER (valid: kill-worker:ROUND, hang-worker:ROUND, exit-worker:ROUND, slow-worker:MS, reload)",
  },
  {
    args: ['--fault', 'explode-worker:2'],
    line: "invalid --fault 'explode-worker:2': unknown fault 'explode-worker' (valid: kill-worker:ROUND, hang-worker:ROUND, exit-worker:ROUND, slow-worker:MS, reload)",
  },
  {
    args: ['--fault', 'kill-worker:0'],
    line: "invalid --fault 'kill-worker:0': ROUND counts from 1 (valid: kill-worker:ROUND, hang-worker:ROUND, exit-worker:ROUND, slow-worker:MS, reload)",
  },
  {
    args: ['--fault', 'slow-worker:0'],
    line: "invalid --fault 'slow-worker:0': MS must be 1 to 60000 (valid: kill-worker:ROUND, hang-worker:ROUND, exit-worker:ROUND, slow-worker:MS, reload)",
  },
  { args: ['--fault', 'kill-worker:5', '--rounds', '4'], line: "invalid --fault 'kill-worker:5': round 5 is past the last (--rounds 4)" },
  { args: ['--fault', 'kill-worker:21'], line: "invalid --fault 'kill-worker:21': round 21 is past the last (--rounds 20)" },
  {
    args: ['--fault', 'hang-worker:2', '--load', 'sustained'],
    line: "invalid --fault 'hang-worker:2': --load sustained has one round (the fault fires halfway through it): use ROUND 1",
  },
  {
    args: ['--target', 'http://127.0.0.1:9/', '--respawn'],
    line: '--respawn does not apply with --target (the server there is not started by this run)',
  },
  { args: ['--preset', 'windows-skew', '--rounds', '3'], line: '--rounds does not apply to --load sustained (only to: burst)' },
  {
    args: ['--node', path.join(tmp, 'no-node')],
    line: `invalid --node '${path.join(tmp, 'no-node')}': no such file (give a Node version such as 22 or 22.12.0, or the path of a Node.js binary)`,
  },
  {
    args: ['--host', '10.0.0.1'],
    line: "invalid --host '10.0.0.1': load tests target loopback only (valid: 127.0.0.1, any 127.x.x.x, ::1, localhost)",
  },
  {
    args: ['--host', '0.0.0.0'],
    line: "invalid --host '0.0.0.0': load tests target loopback only (valid: 127.0.0.1, any 127.x.x.x, ::1, localhost)",
  },
];

async function expectUsageError(args: string[], line: string, outDir: string): Promise<void> {
  const r = await runCli([...args, '--out', outDir], { timeoutMs: 20_000 });
  assert.is(r.code, 2, `exit code; stderr: ${r.stderr}`);
  assert.is(r.stdout, '');
  assert.is(r.stderr, `error: ${line}\n`);
  assert.is(existsSync(out), false, 'nothing written');
  assert.equal(await leftAlive(r.descendants), [], 'no process left behind');
}

for (const c of cases) {
  test(`bench ${c.args.join(' ')} -> exit 2: ${c.line}`, () => expectUsageError(c.args, c.line, out));
}

test('an --out under a regular file (cannot be created, even by root) -> exit 2, nothing written', async () => {
  const bad = path.join(file, 'sub');
  await expectUsageError([], `cannot write results to --out '${bad}': ${file} is not a directory`, bad);
  assert.is(readFileSync(file, 'utf8'), 'not a directory\n');
});

// The runner holds every connection of a round open at once, plus 64 files of its own.
const limitLine =
  process.platform === 'linux'
    ? readFileSync('/proc/self/limits', 'utf8')
        .split('\n')
        .find((l) => l.startsWith('Max open files'))
    : undefined;
const soft = limitLine?.split(/\s{2,}/)[1];
const limit = soft === undefined || soft === 'unlimited' ? null : Number(soft);
const c = limit === null ? 0 : limit - 63; // needs limit + 1 (64 files of the runner's own)
skipIf(
  limit === null
    ? 'no readable soft open-file limit on this platform'
    : c < 1 || c > 20_000
      ? `the open-file limit ${limit} is outside what this test drives`
      : null,
)(`--connections ${c} with an open-file limit of ${limit ?? '(none)'}: one open file too many -> exit 2, naming both and the fixes`, () =>
  expectUsageError(
    ['--connections', String(c)],
    `--connections ${c} needs about ${(limit ?? 0) + 1} open files per process (the load generator holds ${c} connections at once) but the open-file limit is ${limit}: raise the hard limit (ulimit -Hn ${(limit ?? 0) + 1} as root, or nofile in /etc/security/limits.conf; macOS: sudo launchctl limit maxfiles ${(limit ?? 0) + 1} ${(limit ?? 0) + 1}), lower --connections to ${(limit ?? 0) - 64} or split it across processes (--clients 2)`,
    out,
  ),
);

// Linux: every connection of a round from one source address to one destination needs its own ephemeral port.
const range =
  process.platform === 'linux' ? readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number) : null;
const [low, high] = range ?? [0, 0];
skipIf(
  range === null
    ? 'the ephemeral port range is read from Linux /proc'
    : high - low + 1 >= 100_000
      ? `the ephemeral port range ${low}-${high} fits 100000 connections`
      : null,
)(
  `--connections 100000 against the ephemeral port range ${range ? `${low}-${high}` : '(unknown)'} -> exit 2, naming both and the fixes`,
  async () => {
    const r = await runCli(['--connections', '100000', '--out', out]);
    assert.is(r.code, 2);
    const lines = r.stderr.trimEnd().split('\n');
    assert.is(lines.length, 1, r.stderr);
    assert.ok(
      lines[0].startsWith(
        `error: --connections 100000 needs 100000 local ports at once from one source address to one destination but the ephemeral port range ${low}-${high} has ${high - low + 1}`,
      ),
      lines[0],
    );
    assert.match(lines[0], '--clients does not help');
    assert.is(existsSync(out), false);
  },
);

test('--help exits 0 and lists every flag in FLAGS on stdout (asked-for output, so it can be piped)', async () => {
  const r = await runCli(['--help', '--out', out]);
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.is(r.stdout, `${helpPage(bench)}\n`);
  for (const name of Object.keys({ ...bench.flags, ...COMMON_FLAGS }))
    assert.match(r.stdout, new RegExp(`^  --${name}\\b`, 'm'), `--${name}`);
  assert.is(existsSync(out), false);
});

test.run();
