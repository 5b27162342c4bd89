// --clients K through the CLI: the load split across K processes, released together, every request accounted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measured } from '../../../format/schema.js';
import { validateResult } from '../../../format/validate.js';
import { seededRng } from '../../../strategies/rng.js';
import { type CliRun, leftAlive, NO_PROC, runCli } from '../../helpers/cli.js';
import { skipIf } from '../../helpers/skip.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-clients-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

let run: CliRun | undefined;

test('--clients 2, burst 100 x 3: every request accounted, per-client CPU recorded, rows for all, random placed by its seed as with one client', async () => {
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
  run = await runCli([...args, '--json', '--no-report', '--out', out], { timeoutMs: 60_000 });
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
});

// Client processes are known only from /proc.
skipIf(NO_PROC)('--clients 2: two client processes ran, and no process of the run is left', async () => {
  assert.ok(run, 'the run above happened');
  const clients = [...run.descendants].filter(([, cmd]) => cmd.includes('load/client.js'));
  assert.is(clients.length, 2, 'two client processes ran');
  assert.equal(await leftAlive(run.descendants, 2000), [], 'no process left');
});

test.run();
