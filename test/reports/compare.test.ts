// compare: the statistics (trimmed means, Holm, detectable effects), paired A/B verdicts, gates,
// ranked shares, the settings that must match, noise profiles, and the exports.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy } from '../../format/schema.js';
import {
  type CompareOptions,
  compareAB,
  compareRuns,
  DEFAULT_ALPHA,
  DEFAULT_THRESHOLDS,
  regressions,
  settingDifferences,
  splitPairs,
} from '../../reports/compare.js';
import { bencherMetrics, compareMarkdown, compareTerminal, gabEntries } from '../../reports/compare-text.js';
import { shareRows } from '../../reports/data.js';
import type { NoiseProfile } from '../../reports/noise.js';
import { plain } from '../../reports/terminal.js';
import { detectable, holm, oneSided, pairedEstimate, trimmed, unitsFor, welchEstimate } from '../../reports/verdict-stats.js';
import { type MeasuredRun, run, strategy } from './fixtures.js';

const OPTIONS: CompareOptions = { thresholds: { ...DEFAULT_THRESHOLDS }, alpha: DEFAULT_ALPHA };
const near = (a: number, b: number, eps = 1e-6): boolean => Math.abs(a - b) < eps;

/** Reproducible noise around 1: the k-th value of a fixed wobble. */
const wobble = (k: number): number => 1 + 0.03 * Math.sin(k * 2.399);

/** One entry per rep: rps (and primary CPU) times the factors given, everything else steady. */
function reps(name: string, rps: number[], cpu: number[] = rps.map(() => 1), variant?: 'baseline' | 'current'): MeasuredStrategy[] {
  return rps.map((x, i) => {
    const s = strategy({ name, counts: [[500, 500]] });
    return { ...s, rep: i + 1, rps: x, cpuMs: { primary: 200 * cpu[i], workers: 700, loadGen: 250 }, ...(variant && { variant }) };
  });
}

/** An A/B run of rr and fewest-served over `k` pairs; `cur` changes the current side. */
function abRun(k: number, cur: (name: string, i: number) => { rps?: number; cpu?: number } = () => ({})): MeasuredRun {
  const base = run([{ name: 'rr', counts: [[5, 5]] }], {}, '20260101-000000-abab');
  const strategies = ['rr', 'fewest-served'].flatMap((name, j) => {
    const b = Array.from({ length: k }, (_, i) => 1000 * wobble(i + 10 * j));
    const c = b.map((x, i) => x * wobble(i + 5 + 10 * j) * (cur(name, i).rps ?? 1));
    return [
      ...reps(name, b, undefined, 'baseline'),
      ...reps(
        name,
        c,
        b.map((_, i) => cur(name, i).cpu ?? 1),
        'current',
      ),
    ];
  });
  return { ...base, options: { ...base.options, runs: k, baseline: { node: '/usr/bin/node22' } }, strategies };
}

test('trimmed means and Yuen: below 5 units nothing is trimmed (Student and Welch, checked against R)', () => {
  // R: t.test(c(4, 5, 6.5), c(1, 2, 3))$p.value = 0.02914531 (two-sided): one-sided half of it.
  const w = welchEstimate([1, 2, 3], [4, 5, 6.5]);
  assert.ok(near(oneSided(w).up, 0.02914531 / 2), `${oneSided(w).up}`);
  // R: t.test(c(0.1, 0.3, -0.1, 0.2))$p.value = 0.2571 (two-sided, mean 0.125, sd 0.1707825)
  const p = pairedEstimate([0.1, 0.3, -0.1, 0.2]);
  assert.ok(near(p.est, 0.125) && near(p.se, 0.1707825 / 2) && p.df === 3);
  // Ten values, one wild: 20% trimming cuts 2 from each end; winsorized variance by hand.
  const t = trimmed([1, 2, 3, 4, 5, 6, 7, 8, 9, 100]);
  assert.is(t.mean, 5.5);
  assert.is(t.h, 6);
  const wins = [3, 3, 3, 4, 5, 6, 7, 8, 8, 8];
  const m = wins.reduce((a, x) => a + x, 0) / 10;
  const sw2 = wins.reduce((a, x) => a + (x - m) ** 2, 0) / 9;
  assert.ok(near(t.varOfMean, (9 * sw2) / (6 * 5)));
  assert.equal(oneSided(pairedEstimate([0.2, 0.2, 0.2])), { up: 0, down: 1 }, 'no spread: a change is certain');
  assert.equal(oneSided(pairedEstimate([0, 0, 0])), { up: 1, down: 1 });
});

test("Holm's step-down matches R's p.adjust(method = 'holm')", () => {
  // R: p.adjust(c(0.01, 0.04, 0.03, 0.005), 'holm') = 0.03 0.06 0.06 0.02
  const adj = holm([0.01, 0.04, 0.03, 0.005]);
  for (const [i, x] of [0.03, 0.06, 0.06, 0.02].entries()) assert.ok(near(adj[i], x), `${adj}`);
});

test('detectable effects shrink with more pairs, and the K that detects a change is the first that does', () => {
  const e = pairedEstimate([0.05, -0.04, 0.02, -0.01, 0.03, -0.06, 0.01, 0.04]);
  const at = (k: number): number => detectable(Math.sqrt(e.unitVar / k), k - 1, 0.05, 10);
  assert.ok(at(8) > at(16) && at(16) > at(32));
  const k = unitsFor(Math.log(1.1), e, 0.05, 10);
  assert.ok(k !== null && at(k) <= Math.log(1.1) && at(k - 1) > Math.log(1.1), `k ${k}`);
  // Between-run noise wider than the change: no number of repetitions helps.
  const two = welchEstimate([1, 1.1, 0.9], [1, 1.05, 0.95], 0.04);
  assert.is(unitsFor(0.1, two, 0.05, 10), null);
});

test('A/B paired: a 20% req/s drop in one strategy is that one regression; the same code is none', () => {
  const same = compareAB({ label: 'ab', result: abRun(8) }, OPTIONS);
  assert.ok(same.paired && same.tested);
  assert.equal(regressions(same), []);
  assert.is(same.family, 20, '2 strategies x 10 metrics (2 workers: no ranked shares)');
  const drop = compareAB({ label: 'ab', result: abRun(8, (n) => (n === 'fewest-served' ? { rps: 0.8 } : {})) }, OPTIONS);
  assert.equal(
    regressions(drop).map((r) => `${r.strategy} ${r.metric}`),
    ['fewest-served rps'],
  );
  const row = drop.rows.find((r) => r.strategy === 'fewest-served' && r.metric === 'rps');
  assert.ok(row && row.change < -0.15 && row.change > -0.25 && row.interval && row.interval[1] < -0.1, JSON.stringify(row));
  assert.ok(row?.p !== null && (row?.p ?? 1) < 0.05);
  const text = compareTerminal(drop, plain);
  assert.match(text, /1 regression: fewest-served req\/s −\d+\.\d%/);
  assert.match(text, /Holm-adjusted over the 20 tested rows/);
  assert.match(compareMarkdown(drop), /\| fewest-served \| req\/s \| [^|]+ \| [^|]+ \| −\d+\.\d% \\\[/);
});

test('A/B paired: primary CPU per connection doubled is flagged on that row', () => {
  const c = compareAB({ label: 'ab', result: abRun(8, (n) => (n === 'rr' ? { cpu: 2 } : {})) }, OPTIONS);
  assert.equal(
    regressions(c).map((r) => `${r.strategy} ${r.metric}`),
    ['rr primaryCpu'],
  );
});

test('gates: a new failure, a lost accounted or an incomplete repetition is a regression whatever the noise', () => {
  const r = abRun(3);
  const cur = r.strategies.find((s) => s.name === 'rr' && s.variant === 'current' && s.rep === 2) as MeasuredStrategy;
  cur.totals = { ...cur.totals, errors: 3, accounted: false };
  cur.incomplete = 'out of time';
  const c = compareAB({ label: 'ab', result: r }, OPTIONS);
  assert.equal(
    regressions(c).map((x) => `${x.strategy} ${x.metric}`),
    ['rr failures', 'rr unaccounted', 'rr incomplete'],
  );
  // Failures on both sides, overlapping: not a regression.
  const both = abRun(3);
  for (const s of both.strategies.filter((x) => x.name === 'rr')) s.totals = { ...s.totals, errors: s.rep === 1 ? 4 : 1 };
  assert.equal(regressions(compareAB({ label: 'ab', result: both }, OPTIONS)), []);
});

test('shares go by rank: a heavy worker that moves between repetitions does not average away', () => {
  const base = run([{ name: 'none', counts: [[40, 20, 20, 20]] }]);
  const rotating = [0, 1, 2].map((k) => {
    const row = [20, 20, 20, 20];
    row[k] = 40;
    return { ...strategy({ name: 'none', counts: [row] }), rep: k + 1 };
  });
  const r = { ...base, options: { ...base.options, runs: 3 }, strategies: rotating };
  const rows = shareRows([{ label: 'x', result: r }]);
  assert.equal(
    rows.map((x) => [x.worker, x.share]),
    [
      ['busiest', 0.4],
      ['2nd busiest', 0.2],
      ['3rd busiest', 0.2],
      ['4th busiest', 0.2],
    ],
  );
  // compare: with 4 workers, ranks 2 to 4 are rows (rank 1 is top share).
  const c = compareRuns({ label: 'a', result: r }, { label: 'b', result: r }, OPTIONS);
  assert.equal(
    c.rows.filter((x) => x.metric === 'share').map((x) => x.rank),
    [2, 3, 4],
  );
});

test('settings that must match: clients, client addresses, fault, respawn, round timeout, backlog, the strategy file', () => {
  const a = run([{ name: 'rr', counts: [[5, 5]] }]);
  const with_ = (o: Record<string, unknown>): MeasuredRun => ({ ...a, options: { ...a.options, ...o } });
  assert.equal(settingDifferences(a, with_({ clients: 1, respawn: false, clientAddrs: 1 })), [], 'absent is the default');
  assert.equal(settingDifferences(a, with_({ clients: 2 })), ['clients: 1 vs 2']);
  assert.equal(settingDifferences(a, with_({ clientAddrs: 4 })), ['clientAddrs: 1 vs 4']);
  assert.equal(settingDifferences(a, with_({ fault: 'kill-worker:2' })), ['fault: (none) vs kill-worker:2']);
  assert.equal(settingDifferences(a, with_({ respawn: true })), ['respawn: false vs true']);
  assert.equal(settingDifferences(a, with_({ roundTimeoutMs: 5000 })), ['roundTimeoutMs: 10000 vs 5000']);
  assert.equal(settingDifferences(a, with_({ backlog: 511 })), ['backlog: 4096 vs 511']);
  const user = (sha: string): MeasuredRun => ({
    ...a,
    strategies: [{ ...strategy({ name: 'mine', counts: [[5, 5]] }), kind: 'user', source: { file: 'x.js', sha256: sha } }],
  });
  assert.equal(settingDifferences(user('a'.repeat(64)), user('b'.repeat(64))), [
    `strategy file of mine: sha256 ${'a'.repeat(12)} vs ${'b'.repeat(12)}`,
  ]);
  // Unused by the mode: the open loop records connections but is paced by rate.
  const openA = with_({ load: 'open', rounds: 1, duration: 10, rate: 400, connections: 100 });
  assert.equal(settingDifferences(openA, { ...openA, options: { ...openA.options, connections: 500 } }), []);
  const node22 = { ...a, env: { ...a.env, clusterNode: 'v22.23.3' } };
  assert.equal(settingDifferences(a, node22), [], 'another Node is what a comparison is for');
});

test('two runs: a noise profile adds between-run variance to the test and raises thresholds to its band', () => {
  const mk = (f: number, id: string): MeasuredRun => {
    const base = run([{ name: 'rr', counts: [[5, 5]] }], {}, id);
    return {
      ...base,
      options: { ...base.options, runs: 6 },
      strategies: reps(
        'rr',
        [1, 2, 3, 4, 5, 6].map((i) => 1000 * f * wobble(i)),
      ),
    };
  };
  const [a, b] = [mk(1, 'a'), mk(0.85, 'b')];
  const plainVerdict = compareRuns({ label: 'a', result: a }, { label: 'b', result: b }, OPTIONS);
  assert.equal(
    regressions(plainVerdict).map((r) => r.metric),
    ['rps'],
    'a steady 15% drop between two runs, with no between-run noise known',
  );
  const stat = { pairVar: 0.002, repVar: 0.001, betweenVar: 0.01 }; // runs wander by 10%
  const noise: NoiseProfile = {
    kind: 'cluster-sched-bench noise profile',
    version: 1,
    description: 'test profile',
    created: '',
    k: 6,
    runs: [],
    separateRuns: 6,
    metrics: { rps: stat },
    strategies: {},
  };
  const withNoise = compareRuns({ label: 'a', result: a }, { label: 'b', result: b }, { ...OPTIONS, noise });
  assert.equal(regressions(withNoise), [], 'within what separate runs of the same code do');
  const rps = withNoise.rows.find((r) => r.metric === 'rps');
  // The band of two runs that wander by 10% each is far wider than 15%: the threshold rose to it.
  assert.ok(rps && rps.verdict === 'same' && (rps.detectable ?? 0) > 0.3, JSON.stringify(rps));
  assert.match(compareTerminal(withNoise, plain), /plus the between-run noise of test profile/);
  // A threshold given on the command line is kept: beyond it, inside the noise, "worse".
  const fixed = compareRuns({ label: 'a', result: a }, { label: 'b', result: b }, { ...OPTIONS, noise, fixed: ['rps'] });
  assert.is(fixed.rows.find((r) => r.metric === 'rps')?.verdict, 'worse');
});

test('A/A of one run: neighbouring repetitions become pairs', () => {
  const base = run([{ name: 'rr', counts: [[5, 5]] }]);
  const r = {
    ...base,
    options: { ...base.options, runs: 6 },
    strategies: reps(
      'rr',
      [1, 2, 3, 4, 5, 6].map((i) => 1000 * wobble(i)),
    ),
  };
  const split = splitPairs(r);
  assert.equal(
    split.strategies.map((s) => ('rep' in s ? `${s.rep}${s.variant?.[0]}` : '')),
    ['1b', '1c', '2b', '2c', '3b', '3c'],
  );
  const c = compareAB({ label: 'aa', result: split }, OPTIONS);
  assert.ok(c.tested && c.paired);
  assert.equal(regressions(c), []);
});

test('exports: github-action-benchmark with a min..max range, Bencher Metric Format, and no metric twice', () => {
  const rows = [
    { strategy: 'rr', metric: 'rps' as const, current: { mid: 3000, lo: 2900, hi: 3100, n: 3 } },
    { strategy: 'rr', metric: 'p99' as const, current: { mid: 40, lo: 40, hi: 40, n: 1 } },
    { strategy: 'rr', metric: 'primaryCpu' as const, current: { mid: 180, lo: 170, hi: 200, n: 3 } },
  ];
  const { bigger, smaller } = gabEntries(rows);
  assert.equal(bigger, [{ name: 'rr req/s', unit: 'req/s', value: 3000, range: '2900..3100' }]);
  assert.equal(smaller, [
    { name: 'rr p99 ms', unit: 'ms', value: 40 },
    { name: 'rr primary µs/conn', unit: 'µs', value: 180, range: '170..200' },
  ]);
  assert.equal(bencherMetrics(rows), {
    rr: {
      rps: { value: 3000, lower_value: 2900, upper_value: 3100 },
      p99: { value: 40 },
      'primary-cpu': { value: 180, lower_value: 170, upper_value: 200 },
    },
  });
  assert.throws(() => gabEntries([rows[0], rows[0]]), /rr req\/s twice/);
});

test.run();
