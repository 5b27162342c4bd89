import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dueBy, plannedRequests, scheduledAt } from '../../../runner/load/open.js';

test('plannedRequests: rate x duration, at least one', () => {
  assert.is(plannedRequests(400, 5), 2000);
  assert.is(plannedRequests(3, 0.5), 1); // floor(1.5)
  assert.is(plannedRequests(1, 0.1), 1);
});

test('scheduledAt: request i goes out at i/rate seconds', () => {
  assert.equal(
    [0, 1, 2, 400].map((i) => scheduledAt(i, 400)),
    [0, 2.5, 5, 1000],
  );
  assert.equal(
    [0, 1, 3].map((i) => scheduledAt(i, 3)),
    [0, 1000 / 3, 1000],
  );
});

test('dueBy: requests whose slot is at or before the elapsed time, capped at the total', () => {
  const rate = 400; // a slot every 2.5 ms
  const cases: Array<[elapsedMs: number, due: number]> = [
    [-1, 0], // not started
    [0, 1], // request 0 is due at once
    [2.4, 1],
    [2.5, 2], // request 1's slot
    [9.99, 4], // slots 0, 2.5, 5, 7.5
    [1000, 401],
    [60_000, 2000], // capped
  ];
  for (const [elapsed, due] of cases) assert.is(dueBy(elapsed, rate, 2000), due, `elapsed ${elapsed} ms`);
});

test('dueBy agrees with scheduledAt: slot i is due exactly from its scheduled time', () => {
  for (const rate of [1, 7, 400, 999]) {
    for (let i = 0; i < 50; i++) {
      const at = scheduledAt(i, rate);
      assert.ok(dueBy(at, rate, 1e9) >= i + 1, `rate ${rate}: request ${i} due at ${at}`);
      if (at > 0) assert.ok(dueBy(at - 1e-6, rate, 1e9) <= i, `rate ${rate}: request ${i} not due before ${at}`);
    }
  }
});

test.run();
