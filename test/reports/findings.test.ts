// The findings: each sentence follows from the numbers it names; the Pareto front is exactly the
// strategies no other beats on both req/s and p99; the caveats that change the reading are there.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findings, strategyPoints } from '../../reports/findings.js';
import { run } from './fixtures.js';

/** Three strategies on 4 workers: even and fast, skewed and slow, even with a dear primary. */
function three() {
  const r = run([
    { name: 'rr', counts: [[25, 25, 25, 25]], base: 10 },
    { name: 'none', counts: [[70, 10, 10, 10]], base: 30 },
    { name: 'least-connections', counts: [[25, 25, 25, 25]], base: 8 },
  ]);
  const [rr, none, lc] = r.strategies;
  Object.assign(rr, { rps: 1200, cpuMs: { primary: 20, workers: 50 } });
  Object.assign(none, { rps: 900, cpuMs: { primary: 0.1, workers: 50 } });
  Object.assign(lc, { rps: 1000, cpuMs: { primary: 40, workers: 50 } });
  return r;
}

test('per strategy: Jain, the busiest share, req/s, p99 and primary µs per connection; the Pareto front', () => {
  const points = strategyPoints(three());
  assert.equal(
    points.map((p) => [p.strategy, p.pareto]),
    [
      ['rr', true], // most req/s
      ['none', false], // beaten on both by rr
      ['least-connections', true], // lowest p99
    ],
  );
  const [rr, none] = points;
  assert.is(none.top, 0.7);
  assert.is(rr.p99, 30);
  // 20 ms of primary CPU over 100 connections: 200 µs each.
  assert.ok(Math.abs(rr.primaryUs - 200) < 1e-9, String(rr.primaryUs));
});

test('the sentences: fairest and least even, the skewed ones, throughput, p99, the primary, the front', () => {
  const f = findings(three()).findings.join('\n');
  assert.match(f, /Least even: none \(Jain 0\.4808; its busiest worker served 70\.0% against an even 25\.0%\)/);
  assert.match(f, /Skewed \(busiest worker over 1\.5x an even share\): none 2\.8x/);
  assert.match(f, /Highest throughput: rr \(1200 req\/s\), 33\.3% above the lowest, none \(900\)/);
  assert.match(f, /Lowest p99: least-connections \(24\.0 ms\); highest: none \(90\.0 ms, 3\.8x\)/);
  assert.match(
    f,
    /none: about 0 \(the kernel places their connections\); of those through the primary, rr is cheapest \(200 µs\) and least-connections dearest \(400 µs\)/,
  );
  assert.match(f, /no other strategy beats them on both\): rr, least-connections/);
});

test('the caveats: warnings, failures, one repetition, more workers than cores', () => {
  const r = three();
  r.options.workers = 4;
  r.strategies[1].warnings = ['one hot worker: worker 1 (pid 1000) served over 2x its even share for 3 rounds in a row'];
  r.strategies[2].totals = { ...r.strategies[2].totals, errors: 5 };
  const c = findings(r).caveats.join('\n');
  assert.match(c, /none: one hot worker/);
  assert.match(c, /least-connections: 5 of \d+ requests failed/);
  assert.match(c, /one repetition each/);
  assert.match(c, /4 workers on 2 cores/);
});

test.run();
