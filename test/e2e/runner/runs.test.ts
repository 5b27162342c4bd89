// --runs K through the CLI: every repetition kept (rep 1..K), interleaved, each with its own seed
// (seed + rep - 1), every request accounted, the raw rows tagged with their repetition.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measured } from '../../../format/schema.js';
import { validateResult } from '../../../format/validate.js';
import { seededRng } from '../../../strategies/rng.js';
import { runCli } from '../../helpers/cli.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-runs-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

test('--runs 2: rr, random, rr, random; random repetition k picks from seededRng(seed + k - 1)', async () => {
  const args = ['--policy', 'rr,random', '--runs', '2', '--workers', '2', '--connections', '20', '--rounds', '2', '--server', 'http'];
  const run = await runCli([...args, '--seed', '7', '--json', '--no-report', '--out', out], { timeoutMs: 60_000 });
  assert.is(run.code, 0, run.stderr);
  const result = validateResult(JSON.parse(run.stdout), 'stdout');
  assert.is(result.options.runs, 2);
  const strategies = measured(result.strategies);
  assert.equal(
    strategies.map((s) => `${s.name} #${s.rep}`),
    ['rr #1', 'random #1', 'rr #2', 'random #2'],
  );
  for (const s of strategies)
    assert.equal(s.totals, { sent: 40, ok: 40, errors: 0, mismatches: 0, accounted: true }, `${s.name} #${s.rep}`);
  for (const rep of [1, 2]) {
    const s = strategies.find((x) => x.name === 'random' && x.rep === rep);
    assert.ok(s);
    const rng = seededRng(7 + rep - 1);
    const expected = [0, 1].map(() => {
      const picks = Array.from({ length: 20 }, () => Math.floor(rng() * 2));
      return [picks.filter((k) => k === 0).length, picks.filter((k) => k === 1).length];
    });
    assert.equal(
      s.rounds.map((r) => s.workers.map((w) => r.counts[w.pid])),
      expected,
      `random #${rep}`,
    );
  }
  assert.match(run.stderr, /^ {2}rr ×2 /m, 'the table names the repetitions');
  const rows = readFileSync(path.join(out, result.runId, 'requests.csv'), 'utf8')
    .trimEnd()
    .split('\n');
  assert.is(rows[0], 'strategy,round,pid,status,latency_us,error,at_ms,rep');
  assert.equal(
    ['1', '2'].map((rep) => rows.slice(1).filter((r) => r.endsWith(`,${rep}`)).length),
    [40, 40].map((n) => n * 2),
  );
});

test.run();
