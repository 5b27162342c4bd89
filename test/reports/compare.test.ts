// compare: verdicts from thresholds and the Welch t-test, refusals, A/A halves, and the outputs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy } from '../../format/schema.js';
import {
  compareRuns,
  DEFAULT_ALPHA,
  DEFAULT_THRESHOLDS,
  METRICS,
  noiseBand,
  regressions,
  settingDifferences,
  splitHalves,
  verdictOf,
  welchP,
} from '../../reports/compare.js';
import { compareMarkdown, compareTerminal, gabEntries } from '../../reports/compare-text.js';
import { plain } from '../../reports/terminal.js';
import { type MeasuredRun, run, strategy } from './fixtures.js';

const OPTIONS = { thresholds: { ...DEFAULT_THRESHOLDS }, alpha: DEFAULT_ALPHA };

/** A run of `rr` and `none` repeated: rps and Jain per repetition given. */
function repeated(rps: number[], jain: number[], runId: string): MeasuredRun {
  const base = run([{ name: 'rr', counts: [[5, 5]] }], {}, runId);
  const reps = (name: string): MeasuredStrategy[] =>
    rps.map((x, i) => {
      const s = strategy({ name, counts: [[5, 5]] });
      return { ...s, rep: i + 1, rps: x, metrics: { ...s.metrics, jain: jain[i] } };
    });
  return { ...base, options: { ...base.options, runs: rps.length }, strategies: [...reps('rr'), ...reps('none')] };
}

test('Welch p-values agree with R (t.test, var.equal = FALSE)', () => {
  // R: t.test(c(4, 5, 6.5), c(1, 2, 3))$p.value = 0.02914531
  assert.ok(Math.abs(welchP([1, 2, 3], [4, 5, 6.5]) - 0.02914531) < 1e-6);
  // R: t.test(c(10, 11, 12, 13), c(10.5, 11.5, 12.5))$p.value = 1 (equal means)
  assert.ok(Math.abs(welchP([10, 11, 12, 13], [10.5, 11.5, 12.5]) - 1) < 1e-9);
  assert.is(welchP([0.7, 0.7, 0.7], [0.7, 0.7, 0.7]), 1, 'no spread, same value');
  assert.is(welchP([0.9992, 0.9992, 0.9992], [0.9948, 0.9948, 0.9948]), 0, 'no spread, different values');
});

test('verdicts: beyond the threshold the bad way is a regression only outside the noise', () => {
  const rps = METRICS.rps; // higher is better, ratio
  assert.is(verdictOf(rps, -0.4, 0.1, 0.001, 0.05), 'regression');
  assert.is(verdictOf(rps, -0.4, 0.1, 0.3, 0.05), 'worse', 'inside the noise');
  assert.is(verdictOf(rps, -0.4, 0.1, null, 0.05), 'regression', 'no test: thresholds alone');
  assert.is(verdictOf(rps, -0.05, 0.1, 0.001, 0.05), 'same', 'significant but within the threshold');
  assert.is(verdictOf(rps, 0.3, 0.1, 0.01, 0.05), 'better');
  assert.is(verdictOf(rps, 0.3, 0.1, 0.5, 0.05), 'same', 'a gain inside the noise is no gain');
  assert.is(verdictOf(METRICS.p99, 0.4, 0.3, 0.01, 0.05), 'regression', 'p99 up 40%: lower is better');
  assert.is(verdictOf(METRICS.cv, 0.06, 0.05, null, 0.05), 'regression', 'CV up 0.06 absolute');
});

test('the must-show case: req/s cut by 40% and Jain 0.7 in one strategy: exactly those two regressions', () => {
  const base = repeated([3000, 3100, 2900], [0.9997, 0.9995, 0.9999], 'b');
  const cur = repeated([3000, 3100, 2900], [0.9997, 0.9995, 0.9999], 'c');
  for (const s of cur.strategies.filter((x) => x.name === 'none')) {
    s.rps = Math.round(s.rps * 0.6);
    s.metrics = { ...s.metrics, jain: 0.7 };
  }
  const c = compareRuns({ label: 'base', result: base }, { label: 'cur', result: cur }, OPTIONS);
  assert.ok(c.tested);
  assert.equal(
    regressions(c).map((r) => `${r.strategy} ${r.metric}`),
    ['none jain', 'none rps'],
  );
  assert.equal(
    c.rows.filter((r) => r.strategy === 'rr').map((r) => r.verdict),
    Array(7).fill('same'),
  );
  const text = compareTerminal(c, plain);
  assert.match(text, /2 regressions: none Jain −0\.2997, none req\/s −40\.0%/);
  assert.match(
    compareMarkdown(c),
    /\| none \| req\/s \| 3000 \\\[2900–3100\\\] \| 1800 \\\[1740–1860\\\] \| −40\.0% \| [^|]+ \| \*\*regression\*\* \|/,
  );
});

test('fewer than 3 runs a side: no test, and the output says so', () => {
  const c = compareRuns(
    { label: 'a', result: repeated([1000, 1000], [1, 1], 'a') },
    { label: 'b', result: repeated([1000, 1000], [1, 1], 'b') },
    OPTIONS,
  );
  assert.is(c.tested, false);
  assert.ok(c.rows.every((r) => r.p === null));
  assert.match(compareTerminal(c, plain), /noise: NOT tested \(fewer than 3 runs a side/);
});

test('load settings must match; platform and Node may differ and are shown', () => {
  const a = repeated([1], [1], 'a');
  const b = repeated([1], [1], 'b');
  b.options = { ...b.options, workers: 4 };
  assert.equal(settingDifferences(a, b), ['workers: 2 vs 4']);
  const c = repeated([1], [1], 'c');
  c.options = { ...c.options, load: 'sustained', rounds: 1, duration: 10 };
  assert.equal(settingDifferences(a, c), ['load: burst vs sustained'], 'another mode: its own settings are not compared');
  // Within a mode, only the settings that mode uses: the open loop records connections but is paced by rate.
  const openA = repeated([1], [1], 'oa');
  openA.options = { ...openA.options, load: 'open', rounds: 1, duration: 10, rate: 400, connections: 100 };
  const openB = repeated([1], [1], 'ob');
  openB.options = { ...openA.options, connections: 500 };
  assert.equal(settingDifferences(openA, openB), []);
  openB.options = { ...openA.options, rate: 200 };
  assert.equal(settingDifferences(openA, openB), ['rate: 400 vs 200']);
  const node22 = repeated([1], [1], 'd');
  node22.env = { ...node22.env, clusterNode: 'v22.23.3' };
  assert.equal(settingDifferences(a, node22), []);
  assert.equal(compareRuns({ label: 'a', result: a }, { label: 'd', result: node22 }, OPTIONS).environment, ['Node: v20.20.2 vs v22.23.3']);
});

test('A/A: odd repetitions against even ones; the noise band is the largest change per metric', () => {
  const r = repeated([100, 200, 110, 190, 100, 200], [1, 0.9, 1, 0.9, 1, 0.9], 'aa');
  const [odd, even] = splitHalves(r);
  assert.equal(
    odd.strategies.filter((s) => s.name === 'rr').map((s) => ('rep' in s ? s.rep : 0)),
    [1, 3, 5],
  );
  assert.equal([odd.options.runs, even.options.runs], [3, 3]);
  const band = noiseBand(compareRuns({ label: 'odd', result: odd }, { label: 'even', result: even }, OPTIONS));
  assert.ok(Math.abs(band.rps - 1) < 1e-9, `rps band ${band.rps}`); // medians 100 (odd) -> 200 (even): +100%
  assert.ok(Math.abs(band.jain - 0.1) < 1e-9);
});

test('github-action-benchmark entries: bigger-is-better and smaller-is-better apart, median with a ± range', () => {
  const { bigger, smaller } = gabEntries([
    { strategy: 'rr', metric: 'rps', current: { mid: 3000, lo: 2900, hi: 3100, n: 3 } },
    { strategy: 'rr', metric: 'p99', current: { mid: 40, lo: 40, hi: 40, n: 1 } },
  ]);
  assert.equal(bigger, [{ name: 'rr req/s', unit: 'req/s', value: 3000, range: '± 100' }]);
  assert.equal(smaller, [{ name: 'rr p99 ms', unit: 'ms', value: 40 }]);
});

test.run();
