// reuseport: every worker listens on the port itself (SO_REUSEPORT) and the kernel spreads the
// connections. Skipped with its reason where unsupported (Node < 22.12, or not Linux/FreeBSD);
// run for real on a Node 22 from the npm registry (npm run node:get), when it can be installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RunResult } from '../../format/schema.js';
import { nodeGet } from '../../scripts/commands/node-get.js';
import { runCommand } from '../../scripts/lib/command.js';
import { reusePortSupport } from '../../strategies/reuseport.js';
import { leftAlive, runCli } from '../helpers/cli.js';
import { sink } from '../helpers/property.js';

const ARGS = [
  '--policy',
  'rr,reuseport',
  '--workers',
  '3',
  '--connections',
  '90',
  '--rounds',
  '3',
  '--server',
  'http',
  '--no-report',
  '--json',
  '--out',
  '/tmp/csb-reuseport',
];

test('the support check names what is missing', () => {
  assert.is(reusePortSupport('linux', 'v22.12.0'), null);
  assert.is(reusePortSupport('freebsd', 'v24.1.0'), null);
  assert.match(reusePortSupport('linux', 'v22.11.0') ?? '', 'needs Node >= 22.12 for listen({ reusePort }) (this cluster runs v22.11.0');
  assert.match(reusePortSupport('darwin', 'v24.1.0') ?? '', 'needs SO_REUSEPORT load balancing (Linux or FreeBSD)');
  assert.match(reusePortSupport('win32', 'v24.1.0') ?? '', 'win32 has no such option');
});

test("on the runner's own Node: run, or skipped with the reason (never an error)", async () => {
  const r = await runCli(ARGS);
  assert.is(r.code, 0, r.stderr);
  const s = (JSON.parse(r.stdout) as RunResult).strategies[1];
  const why = reusePortSupport(process.platform, process.version);
  if (why === null) assert.not.ok('skipped' in s, 'supported here: it ran');
  else assert.equal(s, { name: 'reuseport', kind: 'kernel', description: s.description, skipped: why });
});

/** A Node >= 22.12 binary, from the cache or the npm registry; null (and why) when none can be had. */
async function node22(): Promise<{ path: string | null; why: string }> {
  const out = sink();
  const err = sink();
  const code = await runCommand(nodeGet, ['22'], { out: out.stream, err: err.stream, signals: false });
  return code === 0 ? { path: out.text().trim(), why: '' } : { path: null, why: err.text().trim().split('\n').pop() ?? `exit ${code}` };
}

if (process.platform === 'linux') {
  test('with --node on Node 22: every worker takes its share from the kernel, every request accounted, nothing left listening', async () => {
    const n = await node22();
    if (n.path === null) {
      console.log(`  (skipped: no Node 22 to run reuseport on: ${n.why})`);
      return;
    }
    const r = await runCli([...ARGS, '--node', n.path]);
    assert.is(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as RunResult;
    assert.match(result.env.clusterNode ?? '', /^v2[2-9]\./);
    const s = result.strategies[1] as MeasuredStrategy;
    assert.is(s.kind, 'kernel');
    assert.ok(s.totals.accounted && s.totals.errors === 0, s.problems.join('; '));
    assert.is(s.totals.ok, 270);
    // 270 connections from ever-new source ports, hashed over 3 sockets: each gets some.
    assert.ok(
      s.perWorker.every((w) => w.client > 30),
      JSON.stringify(s.perWorker.map((w) => w.client)),
    );
    assert.equal(await leftAlive(r.descendants), []);
  });
} else test.skip('reuseport with Node 22 runs on Linux only (SO_REUSEPORT balancing)', () => {});

test.run();
