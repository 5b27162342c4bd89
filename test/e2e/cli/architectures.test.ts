// The older architectures end to end: proxy (the primary pipes each connection to a worker's own
// port) and shared-handle (no cluster module: forked children accept on one handle sent to them).
// Every request accounted and reconciled, the strategy survives a killed worker, nothing is left.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RunResult } from '../../../format/schema.js';
import { leftAlive, runCli } from '../../helpers/cli.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-arch-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

const ARGS = [
  '--policy',
  'proxy,shared-handle',
  '--workers',
  '3',
  '--connections',
  '60',
  '--rounds',
  '4',
  '--server',
  'http',
  '--no-report',
  '--json',
  '--out',
  out,
];

test('proxy and shared-handle: every request accounted; proxy round-robins exactly; each worker counted what the client saw', async () => {
  const r = await runCli(ARGS);
  assert.is(r.code, 0, r.stderr);
  const [proxy, handle] = (JSON.parse(r.stdout) as RunResult).strategies as MeasuredStrategy[];
  assert.equal([proxy.kind, handle.kind], ['proxy', 'handle']);
  for (const s of [proxy, handle]) {
    assert.equal(s.totals, { sent: 240, ok: 240, errors: 0, mismatches: 0, accounted: true }, s.name);
    for (const w of s.perWorker) assert.is(w.server, w.client, `${s.name} worker ${w.id}`);
  }
  assert.equal(
    proxy.perWorker.map((w) => w.client),
    [80, 80, 80],
    'round-robin over three workers',
  );
  assert.equal(proxy.dispatch, { dispatched: 240, refused: 0, dropped: 0 }, 'the proxy piped every connection');
  // No cluster module for shared-handle: its workers are plain children of the primary, not cluster workers.
  const cmds = [...r.descendants.values()];
  assert.ok(cmds.filter((c) => c.includes('cluster/worker.js')).length >= 6, 'three workers each');
  assert.equal(await leftAlive(r.descendants), []);
});

test('a worker killed in round 2: the proxy stops sending to it, the shared handle is still accepted on by the others', async () => {
  const r = await runCli([...ARGS, '--fault', 'kill-worker:2']);
  assert.is(r.code, 0, r.stderr);
  for (const s of (JSON.parse(r.stdout) as RunResult).strategies as MeasuredStrategy[]) {
    assert.ok(s.totals.accounted, `${s.name}: ${s.problems.join('; ')}`);
    const dead = (s.workerEvents ?? []).find((e) => e.event === 'killed');
    assert.ok(dead, s.name);
    for (const round of s.rounds.filter((x) => x.index > 2)) assert.is(round.counts[dead?.pid ?? 0], 0, `${s.name} round ${round.index}`);
  }
  assert.equal(await leftAlive(r.descendants), []);
});

test.run();
