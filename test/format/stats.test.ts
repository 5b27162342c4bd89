import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { median, sameRepRatios, spread } from '../../format/stats.js';

test('median of odd and even counts, unsorted input', () => {
  assert.is(median([3, 1, 2]), 2);
  assert.is(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
});

test('ratios are taken within the same rep, never across reps', () => {
  const samples = [
    { strategy: 'rr', rep: 1, value: 100 },
    { strategy: 'lc', rep: 1, value: 50 },
    { strategy: 'rr', rep: 2, value: 10 },
    { strategy: 'lc', rep: 2, value: 20 },
    { strategy: 'lc', rep: 3, value: 99 }, // no rr in rep 3: no ratio
  ];
  assert.equal(sameRepRatios(samples, 'lc', 'rr'), [0.5, 2]);
  assert.equal(sameRepRatios(samples, 'rr', 'rr'), [1, 1]);
});

test('a zero baseline gives no ratio instead of Infinity', () => {
  assert.equal(
    sameRepRatios(
      [
        { strategy: 'rr', rep: 1, value: 0 },
        { strategy: 'x', rep: 1, value: 3 },
      ],
      'x',
      'rr',
    ),
    [],
  );
});

test('spread text: median [min–max]', () => {
  assert.is(spread([0.9, 1.1, 1.0], 2), '1.00 [0.90–1.10]');
  assert.is(spread([], 2), 'n/a');
});

test.run();
