// reuseport: every worker listens on the port itself (SO_REUSEPORT) and the kernel spreads the
// connections. Skipped with its reason where unsupported (Node < 22.12, or not Linux/FreeBSD);
// run for real on a Node 22 from the npm registry (npm run node:get), when it can be installed
// (decided before the test is registered: no Node 22 is a skip, with the reason, not a pass).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RunResult } from '../../../format/schema.js';
import { nodeGet } from '../../../scripts/commands/node-get.js';
import { runCommand } from '../../../scripts/lib/command.js';
import { reusePortSupport } from '../../../strategies/reuseport.js';
import { leftAlive, runCli } from '../../helpers/cli.js';
import { sink } from '../../helpers/property.js';
import { skipIf } from '../../helpers/skip.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'csb-reuseport-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

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
  dir,
];

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

// Only on Linux, and only with a Node 22 to run the clusters on (fetched before registering).
const node = process.platform === 'linux' ? await node22() : null;
const why =
  node === null
    ? 'SO_REUSEPORT balancing is tested on Linux only'
    : node.path === null
      ? `no Node 22 to run reuseport on: ${node.why}`
      : null;
skipIf(why)(
  'with --node on Node 22: every worker takes its share from the kernel, every request accounted, nothing left listening',
  async () => {
    const r = await runCli([...ARGS, '--node', node?.path as string]);
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
  },
);

test.run();
