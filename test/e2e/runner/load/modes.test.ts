// Each timed load mode for real, at small scale: every request accounted, reconciliation holds.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RequestRecord } from '../../../../format/requests.js';
import { stopAll } from '../../../../runner/cluster/handle.js';
import { type OptionsInput, resolveOptions } from '../../../../runner/options.js';
import { runStrategy } from '../../../../runner/strategy-run.js';
import type { StrategyName } from '../../../../strategies/registry.js';

const base: OptionsInput = { workers: 2, connections: 8, server: 'http', seed: 7, duration: 1 };

const cases: Array<{ load: NonNullable<OptionsInput['load']>; strategy: StrategyName; extra?: OptionsInput }> = [
  { load: 'sustained', strategy: 'rr' },
  { load: 'churn', strategy: 'least-connections' },
  { load: 'open', strategy: 'random', extra: { rate: 100, work: { kind: 'mixed', percent: 10, ms: 5 } } },
  { load: 'churn', strategy: 'none', extra: { server: 'fastify', work: { kind: 'io', ms: 2 } } },
];

for (const c of cases) {
  test(`${c.load} x ${c.strategy}: every request accounted, per-worker counts reconciled`, async () => {
    const opts = resolveOptions({ ...base, load: c.load, policies: [c.strategy], ...c.extra });
    const records: RequestRecord[] = [];
    const { result } = await runStrategy(c.strategy, opts, { raw: (r) => records.push(r) });
    const t = result.totals;
    assert.ok(t.sent > 0, 'some requests were sent');
    assert.is(t.errors, 0, JSON.stringify(result.errorsByCode));
    assert.is(t.ok, t.sent);
    assert.is(t.mismatches, 0);
    assert.equal(result.problems, []);
    assert.ok(t.accounted);
    assert.is(records.length, t.sent, 'every record reached the raw sink');
    assert.is(result.rounds.length, 1);
    const pids = result.workers.map((w) => String(w.pid)).sort();
    assert.equal(Object.keys(result.rounds[0].counts).sort(), pids);
    for (const w of result.perWorker) assert.is(w.client, w.server, `worker ${w.pid}`);
    if (c.load === 'open') assert.is(t.sent, 100); // rate 100 x 1 s
    // The per-second series adds up to what was served.
    assert.is(
      result.series?.reduce((a, p) => a + p.count, 0),
      t.ok,
    );
  });
}

test.after(() => stopAll());
test('sustained honours --round-timeout: requests still open that long after D seconds are ROUND_DEADLINE errors, and the run ends', async () => {
  // 4 connections, each request takes 2 s: at 1 s all 4 are in flight; 150 ms later they are errors.
  const opts = resolveOptions({
    ...base,
    load: 'sustained',
    connections: 4,
    duration: 1,
    roundTimeoutMs: 150,
    work: { kind: 'io', ms: 2000 },
    policies: ['rr'],
  });
  const { result } = await runStrategy('rr', opts);
  assert.equal([result.totals.sent, result.totals.ok, result.totals.errors], [4, 0, 4]);
  assert.equal(result.errorsByCode, { ROUND_DEADLINE: 4 });
  assert.is(result.timedOut, 4, 'said beside the latency, which counts answered requests only');
  assert.ok(result.wallMs < 1900, `the load ended at the drain deadline, not when the requests did (${result.wallMs} ms)`);
});

test.run();
