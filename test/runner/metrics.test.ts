// Metrics against hand-computed values (the README's Metrics section). Each expected value is worked out
// in the comment beside it; irrational ones are compared to 12 decimal places.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cv, fairness, jain, maxMin, percentile, percentileSorted, shares, topShare } from '../../runner/metrics.js';

const near = (got: number, want: number, what: string): void =>
  assert.ok(Math.abs(got - want) < 1e-12, `${what}: got ${got}, want ${want}`);

const fairnessCases: Array<{
  counts: number[];
  jain: number;
  cv: number;
  maxMin: number;
  topShare: number;
  shares: number[];
  why: string;
}> = [
  {
    counts: [25, 25, 25, 25],
    jain: 1,
    cv: 0,
    maxMin: 1,
    topShare: 0.25,
    shares: [0.25, 0.25, 0.25, 0.25],
    why: 'perfectly even: J = 100^2 / (4 * 2500) = 1; sd 0; 25/25',
  },
  {
    counts: [30, 10],
    // T = 40, sum x^2 = 900 + 100 = 1000: J = 1600 / (2 * 1000) = 0.8
    // mean 20, deviations +-10, variance 100, sd 10: CV = 10 / 20 = 0.5; max/min 30/10 = 3; top 30/40
    jain: 0.8,
    cv: 0.5,
    maxMin: 3,
    topShare: 0.75,
    shares: [0.75, 0.25],
    why: 'two workers 3:1',
  },
  {
    counts: [10, 20, 30, 0],
    // T = 60, sum x^2 = 100 + 400 + 900 + 0 = 1400: J = 3600 / (4 * 1400) = 9/14 = 0.642857...
    // mean 15, deviations -5, 5, 15, -15: variance (25 + 25 + 225 + 225) / 4 = 125, sd = sqrt(125)
    // CV = sqrt(125) / 15 = sqrt(5) / 3 = 0.745356...; min is 0 so max/min = Infinity; top 30/60
    jain: 9 / 14,
    cv: Math.sqrt(5) / 3,
    maxMin: Infinity,
    topShare: 0.5,
    shares: [1 / 6, 1 / 3, 0.5, 0],
    why: 'a worker with zero requests',
  },
  {
    counts: [100, 0, 0, 0],
    // J = 100^2 / (4 * 100^2) = 1/4 = 1/n; mean 25, deviations 75, -25, -25, -25:
    // variance (5625 + 3 * 625) / 4 = 1875, sd = sqrt(1875) = 25 * sqrt(3): CV = sqrt(3)
    jain: 0.25,
    cv: Math.sqrt(3),
    maxMin: Infinity,
    topShare: 1,
    shares: [1, 0, 0, 0],
    why: 'one worker took everything: J = 1/n',
  },
  {
    counts: [0, 0, 0],
    // Convention for no traffic at all: nothing is uneven (J 1, CV 0, max/min 1), nobody has a share.
    jain: 1,
    cv: 0,
    maxMin: 1,
    topShare: 0,
    shares: [0, 0, 0],
    why: 'no requests at all',
  },
  {
    counts: [7],
    jain: 1,
    cv: 0,
    maxMin: 1,
    topShare: 1,
    shares: [1],
    why: 'one worker',
  },
];

for (const c of fairnessCases) {
  test(`[${c.counts.join(', ')}] (${c.why}): Jain ${c.jain}, CV ${c.cv}, max/min ${c.maxMin}, top share ${c.topShare}`, () => {
    near(jain(c.counts), c.jain, 'jain');
    near(cv(c.counts), c.cv, 'cv');
    assert.is(maxMin(c.counts), c.maxMin);
    assert.is(topShare(c.counts), c.topShare);
    assert.equal(shares(c.counts), c.shares);
  });
}

test('Jain of [10, 20, 30, 0] is exactly 9/14 as a double', () => {
  assert.is(jain([10, 20, 30, 0]), 9 / 14);
});

// Nearest rank: the value at rank ceil(p/100 * n) of the ascending values (1-based).
const percentileCases: Array<{ values: number[]; p: number; expected: number; why: string }> = [
  { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 50, expected: 5, why: 'rank ceil(5) = 5' },
  { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 51, expected: 6, why: 'rank ceil(5.1) = 6' },
  { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 90, expected: 9, why: 'rank 9' },
  { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 95, expected: 10, why: 'rank ceil(9.5) = 10' },
  { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 100, expected: 10, why: 'rank 10: the max' },
  { values: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], p: 1, expected: 1, why: 'rank ceil(0.1) = 1' },
  { values: [10, 1, 7, 3], p: 50, expected: 3, why: 'unsorted input: sorted 1, 3, 7, 10, rank 2' },
  { values: [42], p: 99.9, expected: 42, why: 'one value is every percentile' },
  {
    values: Array.from({ length: 1000 }, (_, i) => i + 1),
    p: 99.9,
    expected: 999,
    why: 'rank 999.0 exactly, not 1000 (float: 0.999 * 1000 = 999.0000000000001)',
  },
  { values: Array.from({ length: 20000 }, (_, i) => i + 1), p: 99.9, expected: 19980, why: 'rank 19980 of a default 1000 x 20 run' },
  { values: Array.from({ length: 20 }, (_, i) => i + 1), p: 95, expected: 19, why: 'rank 19 of 20' },
];

for (const c of percentileCases) {
  test(`p${c.p} of ${c.values.length} values is ${c.expected} (${c.why})`, () => {
    assert.is(percentile(c.values, c.p), c.expected);
  });
}

test('percentile of nothing is NaN; percentile() does not reorder its input', () => {
  assert.ok(Number.isNaN(percentileSorted([], 50)));
  const values = [3, 1, 2];
  percentile(values, 50);
  assert.equal(values, [3, 1, 2]);
});

test('fairness(): a zero worker gives maxMin null (not Infinity, which JSON cannot hold) and round skew = p95 of round top shares', () => {
  // 20 rounds: 18 at 0.5, one at 0.6, one at 0.9. Sorted, rank ceil(0.95 * 20) = 19 is 0.6.
  const rounds = [...Array(9).fill(0.5), 0.9, ...Array(9).fill(0.5), 0.6];
  const m = fairness([10, 20, 30, 0], rounds);
  assert.equal({ ...m, jain: 0, cv: 0 }, { jain: 0, cv: 0, maxMin: null, topShare: 0.5, roundSkew: 0.6 });
  near(m.jain ?? NaN, 9 / 14, 'jain');
  near(m.cv ?? NaN, Math.sqrt(5) / 3, 'cv');
});

const skewCases: Array<{ rounds: number[]; expected: number | null; why: string }> = [
  { rounds: [], expected: null, why: 'no round had a response: no skew, not 0' },
  { rounds: [0.7], expected: 0.7, why: 'one round' },
  { rounds: [0.5, 0.55, 0.6, 0.65, 0.8, 0.5, 0.5, 0.5, 0.5, 0.5], expected: 0.8, why: '10 rounds: rank ceil(9.5) = 10, the worst round' },
];

test('no response at all is no data, not a perfect spread: every metric null, and why', () => {
  assert.equal(fairness([0, 0, 0], [0, 0]), {
    jain: null,
    cv: null,
    maxMin: null,
    topShare: null,
    roundSkew: null,
    noData: 'no response reached the client',
  });
});

for (const c of skewCases) {
  test(`round skew of [${c.rounds.join(', ')}] is ${c.expected} (${c.why})`, () => {
    assert.is(fairness([1, 1], c.rounds).roundSkew, c.expected);
  });
}

test('fairness() of [30, 10] has maxMin 3', () => {
  assert.equal(fairness([30, 10], [0.75]), { jain: 0.8, cv: 0.5, maxMin: 3, topShare: 0.75, roundSkew: 0.75 });
});

test.run();
