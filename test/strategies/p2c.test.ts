// Power of two choices: two different workers drawn, the less loaded one taken; O(1) per pick.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createP2c } from '../../strategies/p2c.js';
import { seededRng } from '../../strategies/rng.js';
import type { WorkerLoad } from '../../strategies/types.js';

const workers = (active: number[]): WorkerLoad[] => active.map((a, i) => ({ id: i + 1, pid: 100 + i, active: a, served: 0, requests: 0 }));
/** A scripted random source: each draw returns the next value. */
const draws = (...xs: number[]) => {
  let i = 0;
  return (): number => xs[i++];
};

test('the less loaded of the two drawn wins; the first drawn on a tie', () => {
  const p = createP2c();
  // n = 4: first draw 0.5 -> worker 2; second 0.1 of the other 3 -> index 0 -> worker 0.
  assert.is(p.pick(workers([1, 9, 5, 9]), draws(0.5, 0.1)), 0);
  assert.is(p.pick(workers([9, 9, 1, 9]), draws(0.5, 0.1)), 2);
  assert.is(p.pick(workers([3, 9, 3, 9]), draws(0.5, 0.1)), 2, 'tie: the first drawn');
});

test('the second draw is never the first: it skips over it', () => {
  const p = createP2c();
  // first draw -> worker 0; second draw slot 0 of the other 2 -> at or past the first: worker 1.
  assert.is(p.pick(workers([5, 0, 5]), draws(0.1, 0.1)), 1);
  // slot 1 -> worker 2: every other worker reachable, none twice.
  assert.is(p.pick(workers([5, 5, 0]), draws(0.1, 0.9)), 2);
  // first draw -> worker 2; slot 0 is below it: worker 0 itself.
  assert.is(p.pick(workers([0, 5, 5]), draws(0.9, 0.1)), 0);
  assert.is(
    p.pick(workers([7]), () => 0.99),
    0,
    'one worker: no draw needed',
  );
});

test('two draws per pick, never more: constant work whatever the worker count', () => {
  for (const n of [2, 8, 128]) {
    let calls = 0;
    const rng = seededRng(n);
    const counted = (): number => {
      calls++;
      return rng();
    };
    const p = createP2c();
    const ws = workers(Array.from({ length: n }, () => 0));
    for (let i = 0; i < 100; i++) ws[p.pick(ws, counted)].active++;
    assert.is(calls, 200, `n = ${n}`);
  }
});

test('with nothing closing, 10 000 picks over 8 workers stay within a few connections of even (random alone does not)', () => {
  const p = createP2c();
  const ws = workers(Array.from({ length: 8 }, () => 0));
  const rng = seededRng(42);
  for (let i = 0; i < 10_000; i++) ws[p.pick(ws, rng)].active++;
  const counts = ws.map((w) => w.active);
  assert.ok(Math.max(...counts) - Math.min(...counts) <= 4, `spread ${counts.join(', ')}`);
  const r = Array.from({ length: 8 }, () => 0);
  const rng2 = seededRng(42);
  for (let i = 0; i < 10_000; i++) r[Math.floor(rng2() * 8)]++;
  assert.ok(Math.max(...r) - Math.min(...r) > 20, `random's spread ${r.join(', ')}`);
});

test.run();
