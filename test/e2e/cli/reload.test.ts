// --fault reload, for real: during an open load every worker is replaced one at a time (the new
// one ready before the old one leaves); the replacements serve, the old workers' exits are
// expected, every request is accounted, and the result and the terminal carry the restart's table.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measured, type RunResult } from '../../../format/schema.js';
import { leftAlive, runCli } from '../../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-reload-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('rr and least-connections reloaded under an open load: two hand-overs each, the replacements serve, all accounted', async () => {
  const r = await runCli(
    [
      // 14 s, the restart from 7 s: a hand-over is a fork, a ready and a drain of up to 2 s, even on a busy CI machine.
      ...['--policy', 'rr,lc', '--workers', '2', '--load', 'open', '--rate', '150', '--duration', '14', '--server', 'http'],
      ...['--fault', 'reload', '--json', '--no-report', '--out', tmp],
    ],
    { timeoutMs: 120_000 },
  );
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  for (const s of measured(result.strategies)) {
    const reload = s.reload;
    assert.ok(reload, `${s.name}: no reload recorded`);
    assert.is(reload.handovers.length, 2, `${s.name}: ${JSON.stringify(reload)}`);
    assert.ok(reload.toMs !== null && reload.toMs > reload.fromMs, `${s.name}: the restart finished within the load`);
    const fresh = new Set(reload.handovers.map((h) => h.newPid));
    const served = s.perWorker.filter((w) => fresh.has(w.pid)).reduce((a, w) => a + w.client, 0);
    assert.ok(served > 0, `${s.name}: the replacements served nothing`);
    assert.ok(s.totals.accounted, `${s.name}: ${s.problems.join('; ')}`);
    assert.ok(reload.inside !== null && reload.outside !== null, `${s.name}: latency inside and outside the restart`);
    assert.equal(
      (s.workerEvents ?? []).filter((e) => !e.expected),
      [],
      `${s.name}: every worker event expected`,
    );
  }
  assert.match(r.stderr, /rolling restart \(--fault reload\)/);
  assert.equal(await leftAlive(r.descendants), []);
});

test('--fault reload on a burst, or with --respawn: exit 2, one line', async () => {
  for (const [args, line] of [
    [['--load', 'burst'], /reload.*needs a timed load/],
    [['--load', 'open', '--respawn'], /does not go with --respawn/],
  ] as const) {
    const run = await runCli(['--fault', 'reload', ...args, '--out', tmp]);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, line);
  }
});

test.run();
