// --clients K: how the load is split across K client processes (test/e2e/runner/clients.test.ts runs them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shareOf } from '../../runner/load/clients.js';
import { plannedRequests, scheduledAt } from '../../runner/load/open.js';
import { splitEven } from '../../runner/load/types.js';
import { resolveOptions } from '../../runner/options.js';

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

test.run();
