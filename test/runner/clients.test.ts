// --clients K: the load split across K processes, released together, every request accounted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measured } from '../../format/schema.js';
import { validateResult } from '../../format/validate.js';
import { shareOf } from '../../runner/load/clients.js';
import { plannedRequests, scheduledAt } from '../../runner/load/open.js';
import { splitEven } from '../../runner/load/types.js';
import { resolveOptions } from '../../runner/options.js';
import { seededRng } from '../../strategies/rng.js';
import { HAS_PROC, leftAlive, runCli } from '../helpers/cli.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-clients-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

test('splitEven and shareOf: whole shares, the larger first; the open loop splits its rate; a client with none is left out', () => {
  assert.equal(splitEven(10, 3), [4, 3, 3]);
  assert.equal(splitEven(1000, 2), [500, 500]);
  assert.equal(splitEven(1, 2), [1, 0]);
  const burst = resolveOptions({ connections: 7, seed: 1 });
  assert.equal(
    [0, 1].map((i) => shareOf(burst, i, 2)?.opts.connections),
    [4, 3],
  );
  const open = resolveOptions({ load: 'open', rate: 401, seed: 1 });
  assert.equal(
    [0, 1].map((i) => {
      const s = shareOf(open, i, 2)?.opts;
      return s?.load === 'open' ? s.rate : null;
    }),
    [201, 200],
  );
  assert.is(shareOf(resolveOptions({ connections: 1, seed: 1 }), 1, 2), null);
});

test('open loop over K clients: their schedules interleave into the one schedule of the whole rate, none at the same instant', () => {
  for (const [rate, k] of [
    [400, 2],
    [300, 3],
    [7, 4],
  ]) {
    const o = resolveOptions({ load: 'open', rate, duration: 2, seed: 1 });
    const slots = Array.from({ length: k }, (_, i) => shareOf(o, i, k)).flatMap((share) => {
      if (share?.opts.load !== 'open') return [];
      const { rate: r } = share.opts;
      return Array.from({ length: plannedRequests(r, 2) }, (_, n) => share.phaseMs + scheduledAt(n, r));
    });
    const merged = slots.sort((a, b) => a - b);
    assert.is(new Set(merged.map((t) => t.toFixed(6))).size, merged.length, `rate ${rate} x ${k}: no two at the same instant`);
    if (rate % k === 0)
      for (const [j, t] of merged.entries())
        assert.ok(Math.abs(t - scheduledAt(j, rate)) < 1e-9, `rate ${rate} x ${k}: slot ${j} at ${t} ms`);
  }
});

test('--clients 2, burst 100 x 3: every request accounted, per-client CPU recorded, rows for all, random placed by its seed as with one client, no process left', async () => {
  const args = [
    '--policy',
    'rr,random',
    '--clients',
    '2',
    '--workers',
    '2',
    '--connections',
    '100',
    '--rounds',
    '3',
    '--server',
    'http',
    '--seed',
    '42',
  ];
  const run = await runCli([...args, '--json', '--no-report', '--out', out], { timeoutMs: 60_000 });
  assert.is(run.code, 0, run.stderr);
  const result = validateResult(JSON.parse(run.stdout), 'stdout');
  assert.is(result.options.clients, 2);
  for (const s of measured(result.strategies)) {
    assert.equal(s.totals, { sent: 300, ok: 300, errors: 0, mismatches: 0, accounted: true }, s.name);
    for (const r of s.rounds) assert.equal(r.counts, r.server, `${s.name} round ${r.index}`);
    assert.is(s.cpuMs.clients?.length, 2, 'each client CPU');
    assert.ok(s.cpuMs.clients?.every((ms) => ms > 0));
    assert.is(
      s.series?.reduce((a, p) => a + p.count, 0),
      300,
      'series merged from both clients',
    );
  }
  const random = measured(result.strategies).find((s) => s.name === 'random');
  assert.ok(random);
  const rng = seededRng(42);
  const expected = [1, 2, 3].map(() => {
    const picks = Array.from({ length: 100 }, () => Math.floor(rng() * 2));
    return [picks.filter((k) => k === 0).length, picks.filter((k) => k === 1).length];
  });
  assert.equal(
    random.rounds.map((r) => random.workers.map((w) => r.counts[w.pid])),
    expected,
    'the same picks as with one client',
  );
  const rows = readFileSync(path.join(out, result.runId, 'requests.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  assert.is(rows.length - 1, 600);
  assert.equal(result.raw, { mode: 'all', rows: 600, file: 'requests.csv' });
  if (HAS_PROC) {
    const clients = [...run.descendants].filter(([, cmd]) => cmd.includes('load/client.js'));
    assert.is(clients.length, 2, 'two client processes ran');
    assert.equal(await leftAlive(run.descendants, 2000), [], 'no process left');
  }
});

test.run();
