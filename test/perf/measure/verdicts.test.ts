// The comparator's proof by simulation (perf/measure/verdicts.ts), seeded: synthetic A/B runs whose
// noise is fitted from real A/A runs on a shared 2-core machine (docs/noise/fit-shared-2core.json),
// through the real comparator. Paired at the default K: at most alpha false alarms per comparison,
// and 80% power for a 20% req/s drop and for doubled primary CPU. The full table (more models, more
// K, more trials): npm run perf:verdicts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitNoise, type NoiseFit, simulateTable } from '../../../perf/measure/verdicts.js';
import { DEFAULT_ALPHA } from '../../../reports/compare.js';
import { DEFAULTS } from '../../../runner/options.js';
import { ROOT } from '../../helpers/schema.js';
import { run, strategy } from '../../reports/fixtures.js';

const FIT = JSON.parse(readFileSync(path.join(ROOT, 'docs', 'noise', 'fit-shared-2core.json'), 'utf8')) as NoiseFit;
const TRIALS = 120;

test('the fitted noise is from real A/A runs and has every metric', () => {
  assert.match(FIT.source, /A\/A runs \(\d+ A\/B with the same code on both sides, \d+ plain\)/);
  for (const m of ['rps', 'p50', 'p99', 'primaryCpu', 'workerCpu', 'loadGenCpu', 'jain', 'cv', 'roundSkew', 'topShare'])
    assert.ok(FIT.metrics[m as keyof NoiseFit['metrics']].sd >= 0, m);
  // The real box has slow repetitions: the heavy-tailed model is not hypothetical.
  assert.ok(FIT.metrics.rps.outlierRate > 0 && FIT.metrics.rps.outlierSize < -0.2, JSON.stringify(FIT.metrics.rps));
});

test(`paired, default K (${DEFAULTS.abRuns}): false alarms <= alpha, power >= 80% for req/s -20% and primary CPU x2`, () => {
  const rows = simulateTable(FIT, [DEFAULTS.abRuns], TRIALS, 17, ['normal', 'heavy+drift+vm'], [true]);
  for (const r of rows) {
    assert.ok(r.falseAlarm <= DEFAULT_ALPHA, `${r.model}: false alarms ${r.falseAlarm}`);
    assert.ok(r.powerRps >= 0.8, `${r.model}: power for req/s -20% ${r.powerRps}`);
    assert.ok(r.powerCpu >= 0.8, `${r.model}: power for primary CPU x2 ${r.powerCpu}`);
  }
});

test('two runs on different VMs (drift and offsets): false alarms stay <= alpha with the noise profile', () => {
  const [r] = simulateTable(FIT, [6], TRIALS, 23, ['heavy+drift+vm'], [false]);
  assert.ok(r.falseAlarm <= DEFAULT_ALPHA, `false alarms ${r.falseAlarm}`);
});

test('fitting: pairs of an A/B run give the repetition spread (pair sd / sqrt 2)', () => {
  const base = run([{ name: 'rr', counts: [[5, 5]] }]);
  const wob = [1.1, 0.9, 1.05, 0.95, 1.0, 1.02];
  const strategies = wob.flatMap((w, i) => [
    { ...strategy({ name: 'rr', counts: [[5, 5]] }), rep: i + 1, variant: 'baseline' as const, rps: 1000 },
    { ...strategy({ name: 'rr', counts: [[5, 5]] }), rep: i + 1, variant: 'current' as const, rps: 1000 * w },
  ]);
  const fit = fitNoise([{ ...base, options: { ...base.options, runs: 6, baseline: {} }, strategies }], 'test');
  const d = wob.map(Math.log);
  const med = (xs: number[]): number =>
    [...xs]
      .sort((a, b) => a - b)
      .slice(2, 4)
      .reduce((a, x) => a + x, 0) / 2;
  const mad = 1.4826 * med(d.map((x) => Math.abs(x - med(d))));
  assert.ok(Math.abs(fit.metrics.rps.sd - mad / Math.SQRT2) < 1e-9, `${fit.metrics.rps.sd} vs ${mad / Math.SQRT2}`);
});

test.run();
