// The "one hot worker" signature: a worker above twice its even share for 3+ steps in a row.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hotWorker, jain } from '../../format/stats.js';

test('a worker above 2x its share for 4 steps in a row is found, with where and how hot', () => {
  const even = [25, 25, 25, 25];
  const hot = [70, 10, 10, 10]; // 2.8x the even share of 25
  const steps = [even, even, hot, hot, [60, 14, 13, 13], hot, even];
  assert.equal(hotWorker(steps), { worker: 0, from: 2, to: 5, peak: 2.8 });
});

test('a skew that comes and goes for fewer steps than asked, or stays under 2x, is not flagged; empty steps break a run', () => {
  const hot = [10, 70, 10, 10];
  assert.is(hotWorker([hot, hot, [25, 25, 25, 25], hot]), null, 'two in a row only');
  assert.is(
    hotWorker([
      [45, 20, 20, 15],
      [45, 20, 20, 15],
      [45, 20, 20, 15],
    ]),
    null,
    '1.8x is under 2x',
  );
  assert.is(hotWorker([hot, [0, 0, 0, 0], hot, hot]), null, 'a step with nothing served breaks the run');
  assert.equal(hotWorker([hot, hot, hot], 3)?.worker, 1);
  assert.is(hotWorker([]), null);
});

test("Jain's index: 1 when even (also all zero), 1/N when one worker takes all", () => {
  assert.is(jain([5, 5, 5, 5]), 1);
  assert.is(jain([0, 0]), 1);
  assert.is(jain([8, 0, 0, 0]), 0.25);
});

test.run();
