// The userland dispatch mechanism in a real cluster, through the CLI: every connection dispatched
// exactly once (none refused or dropped), every request accounted, in a burst and in churn.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measured } from '../../../format/schema.js';
import { validateResult } from '../../../format/validate.js';
import { runCli } from '../../helpers/cli.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-dispatch-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

const common = ['--policy', 'least-connections,random', '--workers', '2', '--server', 'http', '--json', '--out', out];

test('burst 50 x 3: lc and random dispatch each of the 150 connections once, all accounted', async () => {
  const run = await runCli([...common, '--connections', '50', '--rounds', '3'], { timeoutMs: 60_000 });
  assert.is(run.code, 0, run.stderr);
  const result = validateResult(JSON.parse(run.stdout), 'stdout');
  for (const s of measured(result.strategies)) {
    assert.equal(s.totals, { sent: 150, ok: 150, errors: 0, mismatches: 0, accounted: true }, s.name);
    assert.equal(s.dispatch, { dispatched: 150, refused: 0, dropped: 0 }, s.name);
  }
});

test('churn 1 s: every request accounted, dispatched == connections the workers counted', async () => {
  const run = await runCli([...common, '--load', 'churn', '--connections', '20', '--duration', '1'], { timeoutMs: 60_000 });
  assert.is(run.code, 0, run.stderr);
  const result = validateResult(JSON.parse(run.stdout), 'stdout');
  for (const s of measured(result.strategies)) {
    assert.ok(s.totals.accounted && s.totals.errors === 0 && s.totals.sent > 0, s.name);
    const conns = s.perWorker.reduce((a, w) => a + w.connections, 0);
    assert.equal(s.dispatch, { dispatched: conns, refused: 0, dropped: 0 }, s.name);
  }
});

test.run();
