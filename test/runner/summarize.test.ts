// One strategy's result from two hand-made rounds: every number below is worked out in comments.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fairnessSummary, rowCells } from '../../reports/summary.js';
import { reconcileRound } from '../../runner/reconcile.js';
import { type StrategyRaw, summarize } from '../../runner/summarize.js';
import { failed, ok, snap, tallyOf, WORKERS } from '../helpers/records.js';

// Round 1: 101 answers in 1 and 3 ms, 102 in 2 ms. Round 2: 101 in 4 ms, 102 in 5 ms, and one
// connection (taken by 102, which never saw a request on it) is reset.
const s0 = snap({ 101: [0, 0, 1000], 102: [0, 0, 2000] }, 500);
const s1 = snap({ 101: [2, 2, 20000], 102: [1, 1, 10000] }, 6000);
const s2 = snap({ 101: [3, 3, 51000], 102: [2, 3, 32000] }, 12500, { dispatched: 7, refused: 1, dropped: 0 });
const r1 = [ok(1, 101, 1000), ok(1, 101, 3000), ok(1, 102, 2000)];
const r2 = [ok(2, 101, 4000), ok(2, 102, 5000), failed(2, 0, 0, 'ECONNRESET', 9000)];

const tally = () => tallyOf(WORKERS, [...r1, ...r2]);

function raw(overrides: Partial<StrategyRaw> = {}): StrategyRaw {
  const t = tally();
  const a = reconcileRound(1, 3, t.round(1), WORKERS, s0, s1, 10);
  const b = reconcileRound(2, 3, t.round(2), WORKERS, s1, s2, 15);
  return {
    name: 'least-connections',
    kind: 'dispatch',
    description: 'lc',
    workers: WORKERS,
    rounds: [a.round, b.round],
    tally: t,
    problems: [...a.problems, ...b.problems],
    first: s0,
    last: s2,
    loadGenCpuUs: 4567,
    loadWallMs: 25,
    kernel: { listenOverflows: 0, listenDrops: 2 },
    ...overrides,
  };
}

test('two rounds, one reset: the whole result, worked out by hand', () => {
  const result = summarize(raw());
  assert.equal(result, {
    name: 'least-connections',
    kind: 'dispatch',
    description: 'lc',
    workers: WORKERS,
    // sent 3 + 3; ok 5; the reset is the only error; client == server per worker in both rounds
    totals: { sent: 6, ok: 5, errors: 1, mismatches: 0, accounted: true },
    perWorker: [
      // 101: latencies 1, 3, 4 ms: p50 = rank ceil(1.5) = 2 -> 3; p90 = rank ceil(2.7) = 3 -> 4; mean 8/3 = 2.667
      {
        id: 1,
        pid: 101,
        client: 3,
        server: 3,
        connections: 3,
        share: 0.6,
        latencyMs: { p50: 3, p90: 4, p99: 4, p999: 4, max: 4, mean: 2.667 },
      },
      // 102: latencies 2, 5 ms: p50 = rank 1 -> 2; p90 = rank 2 -> 5; mean 3.5. 3 connections, 2 requests.
      {
        id: 2,
        pid: 102,
        client: 2,
        server: 2,
        connections: 3,
        share: 0.4,
        latencyMs: { p50: 2, p90: 5, p99: 5, p999: 5, max: 5, mean: 3.5 },
      },
    ],
    rounds: [
      {
        index: 1,
        counts: { 101: 2, 102: 1 },
        server: { 101: 2, 102: 1 },
        connections: { 101: 2, 102: 1 },
        sent: 3,
        ok: 3,
        errors: 0,
        mismatches: 0,
        topShare: 2 / 3,
        wallMs: 10,
      },
      {
        index: 2,
        counts: { 101: 1, 102: 1 },
        server: { 101: 1, 102: 1 },
        connections: { 101: 1, 102: 2 },
        sent: 3,
        ok: 2,
        errors: 1,
        mismatches: 0,
        topShare: 0.5,
        wallMs: 15,
        errorsByCode: { ECONNRESET: 1 },
      },
    ],
    // counts [3, 2]: J = 25 / (2 * 13) = 25/26; mean 2.5, sd 0.5, CV 0.2; max/min 1.5; top 3/5;
    // round skew = rank ceil(0.95 * 2) = 2 of [0.5, 2/3] = 2/3
    metrics: { jain: 25 / 26, cv: 0.2, maxMin: 1.5, topShare: 0.6, roundSkew: 2 / 3 },
    // ok latencies 1..5 ms: p50 = rank 3, p75 = rank 4, p90 = rank ceil(4.5) = 5; mean 3
    latencyMs: { p50: 3, p90: 5, p99: 5, p999: 5, max: 5, mean: 3 },
    // every record, the reset at its 9 ms too: 1..5 and 9; p50 rank 3, p90 rank ceil(5.4) = 6; mean 24 / 6 = 4
    latencyWithFailuresMs: { p50: 3, p90: 9, p99: 9, p999: 9, max: 9, mean: 4 },
    latencyCurve: [
      { p: 50, ms: 3 },
      { p: 75, ms: 4 },
      { p: 90, ms: 5 },
      { p: 95, ms: 5 },
      { p: 99, ms: 5 },
      { p: 99.9, ms: 5 },
    ],
    rps: 200, // 5 ok in 10 + 15 = 25 ms
    wallMs: 25,
    // primary 12500 - 500 us = 12 ms; workers (51000 - 1000) + (32000 - 2000) us = 80 ms; load generator 4567 us -> 4.6 ms
    // 6 connections took 12 ms of primary CPU: 12 / 6 * 10000 = 20000 ms per 10k connections
    cpuMs: { primary: 12, workers: 80, loadGen: 4.6, loadGenShare: 0.184, primaryPer10kConn: 20000 },
    errorsByCode: { ECONNRESET: 1 },
    problems: [],
    // the load generator used 4.6 of 25 ms: 18% of a core, far from saturated
    warnings: [],
    // every record finished at 0 ms: second 0 holds the ok ones, 3 from 101 and 2 from 102
    series: [
      { second: 0, pid: 101, count: 3 },
      { second: 0, pid: 102, count: 2 },
    ],
    kernel: { listenOverflows: 0, listenDrops: 2 },
    dispatch: { dispatched: 7, refused: 1, dropped: 0 },
  });
});

test('a reconciliation problem makes the strategy unaccounted even though sent == ok + errors', () => {
  const result = summarize(raw({ problems: ['round 2: worker 101 counted 2 requests, the client saw 1 from it'] }));
  assert.equal(result.totals, { sent: 6, ok: 5, errors: 1, mismatches: 0, accounted: false });
  assert.equal(result.problems, ['round 2: worker 101 counted 2 requests, the client saw 1 from it']);
});

test('an extra server-side request flows from the round into mismatches and problems', () => {
  const s2extra = snap({ 101: [4, 4, 51000], 102: [2, 3, 32000] }, 12500);
  const t = tally();
  const a = reconcileRound(1, 3, t.round(1), WORKERS, s0, s1, 10);
  const b = reconcileRound(2, 3, t.round(2), WORKERS, s1, s2extra, 15);
  const result = summarize(raw({ rounds: [a.round, b.round], problems: [...a.problems, ...b.problems], last: s2extra }));
  assert.equal(result.totals, { sent: 6, ok: 5, errors: 1, mismatches: 1, accounted: false });
  assert.equal(
    result.perWorker.map((w) => [w.client, w.server]),
    [
      [3, 4],
      [2, 2],
    ],
  );
  assert.equal(result.problems, ['round 2: worker 101 counted 2 requests, the client saw 1 from it']);
});

test('sent == ok + errors is checked from counters kept apart: a record counted twice makes the strategy unaccounted', () => {
  // The rounds say 5 ok of 6 sent; the tally also saw the reset twice (2 errors): 5 + 2 != 6.
  const twice = tallyOf(WORKERS, [...r1, ...r2, failed(2, 0, 0, 'ECONNRESET', 9000)]);
  const result = summarize(raw({ tally: twice }));
  assert.equal(result.totals, { sent: 6, ok: 5, errors: 2, mismatches: 0, accounted: false });
  assert.equal(result.problems, ['6 requests sent, but 5 ok + 2 failed = 7: some request is counted twice or not at all']);
});

test('errorsByCode counts every code, including UNKNOWN_PID set by reconciliation', () => {
  const recs = [
    ok(1, 101, 1),
    ok(1, 999, 1),
    failed(1, 102, 503, 'HTTP_503'),
    failed(1, 0, 0, 'ECONNRESET'),
    failed(1, 0, 0, 'ECONNRESET'),
  ];
  const after = snap({ 101: [1, 1], 102: [1, 1] });
  const t = tallyOf(WORKERS, recs);
  const a = reconcileRound(1, 5, t.round(1), WORKERS, s0, after, 1);
  const result = summarize(raw({ rounds: [a.round], tally: t, problems: a.problems, last: after }));
  assert.equal(result.errorsByCode, { UNKNOWN_PID: 1, HTTP_503: 1, ECONNRESET: 2 });
  assert.equal(result.totals, { sent: 5, ok: 1, errors: 4, mismatches: 0, accounted: false });
});

test('native strategies on other platforms: no dispatch stats and no kernel counters means no such keys', () => {
  const result = summarize(raw({ kind: 'native', kernel: undefined, last: snap({ 101: [3, 3, 51000], 102: [2, 3, 32000] }, 12500) }));
  assert.equal(['kernel' in result, 'dispatch' in result], [false, false]);
});

test('a worker with zero requests: share 0, no latency (null, not 0 ms), max/min null', () => {
  const recs = [ok(1, 101, 2000), ok(1, 101, 2000)];
  const after = snap({ 101: [2, 2], 102: [0, 0] });
  const t = tallyOf(WORKERS, recs);
  const a = reconcileRound(1, 2, t.round(1), WORKERS, s0, after, 4);
  const result = summarize(raw({ rounds: [a.round], tally: t, problems: [], last: after, kernel: undefined }));
  assert.equal(result.perWorker[1], {
    id: 2,
    pid: 102,
    client: 0,
    server: 0,
    connections: 0,
    share: 0,
    latencyMs: null,
  });
  // counts [2, 0]: J = 4 / (2 * 4) = 0.5; mean 1, sd 1, CV 1; max/min infinite -> null; top 1
  assert.equal(result.metrics, { jain: 0.5, cv: 1, maxMin: null, topShare: 1, roundSkew: 1 });
  assert.is(result.totals.accounted, true);
});

test('every request failed: no data, said so; nothing in the tables reads as perfect', () => {
  const recs = [failed(1, 0, 0, 'ECONNREFUSED'), failed(1, 0, 0, 'ECONNREFUSED')];
  const after = snap({ 101: [0, 0], 102: [0, 0] });
  const t = tallyOf(WORKERS, recs);
  const a = reconcileRound(1, 2, t.round(1), WORKERS, s0, after, 1);
  const result = summarize(raw({ rounds: [a.round], tally: t, problems: [], last: after }));
  assert.equal(result.metrics, {
    jain: null,
    cv: null,
    maxMin: null,
    topShare: null,
    roundSkew: null,
    noData: 'no response reached the client',
  });
  assert.equal([result.latencyMs, result.latencyCurve], [null, []]);
  const row = rowCells(fairnessSummary([result]).rows[0]);
  assert.equal(row.slice(2, 6), ['n/a', 'n/a', 'n/a', 'n/a'], 'Jain, CV, max/min, round skew');
  assert.equal(row.slice(7, 9), ['n/a', 'n/a'], 'p50, p99');
});

test('a round with no response has no top share: round skew is over the rounds that had one', () => {
  const recs = [ok(1, 101, 1000), ok(1, 102, 1000), failed(2, 0, 0, 'ECONNRESET')];
  const t = tallyOf(WORKERS, recs);
  const s1b = snap({ 101: [1, 1], 102: [1, 1] });
  const a = reconcileRound(1, 2, t.round(1), WORKERS, s0, s1b, 1);
  const b = reconcileRound(2, 1, t.round(2), WORKERS, s1b, s1b, 1);
  const result = summarize(raw({ rounds: [a.round, b.round], tally: t, problems: [], last: s1b }));
  assert.is(result.metrics.roundSkew, 0.5, 'only round 1 (top share 0.5) counts; the empty round 2 is not a 0');
});

test('a strategy whose slow requests time out cannot look faster: its latency with failures counts them at their deadline', () => {
  // A: 100 answers at 10 ms. B: 90 answers at 5 ms, 10 cut off at the 1 s deadline.
  const a = tallyOf(
    WORKERS,
    Array.from({ length: 100 }, () => ok(1, 101, 10_000)),
  );
  const b = tallyOf(WORKERS, [
    ...Array.from({ length: 90 }, () => ok(1, 101, 5000)),
    ...Array.from({ length: 10 }, () => failed(1, 0, 0, 'ROUND_DEADLINE', 1_000_000)),
  ]);
  const p99 = (t: ReturnType<typeof tallyOf>) => [t.latency().summary?.p99 ?? NaN, t.latencyWithFailures()?.p99 ?? NaN];
  assert.equal(p99(a), [10, 10]);
  const [answered, all] = p99(b);
  assert.is(answered, 5, 'answered only: B looks twice as fast');
  assert.ok(Math.abs(all - 1000) <= 1, `with its failures it is 100x slower: ${all} ms (HDR: within 0.1%)`);
});

test('a load generator above 90% of a core is a warning, not a problem', () => {
  const result = summarize(raw({ loadGenCpuUs: 23_000, loadWallMs: 25 })); // 23 of 25 ms: 92%
  assert.equal(result.warnings, ['the load generator used 92.0% of a core: it may be the bottleneck, not the cluster (try --clients 2)']);
  assert.is(result.cpuMs.loadGenShare, 0.92, 'stored once: the cost table shows this same share');
  assert.is(result.totals.accounted, true);
});

test('the per-second series: ok responses per second and worker, empty seconds and idle workers as zeros', () => {
  const recs = [ok(1, 101, 1, 10), ok(1, 102, 1, 999), ok(1, 101, 1, 2500), failed(1, 102, 503, 'HTTP_503', 1, 1500)];
  assert.equal(tallyOf(WORKERS, recs).series(), [
    { second: 0, pid: 101, count: 1 },
    { second: 0, pid: 102, count: 1 },
    { second: 1, pid: 101, count: 0 }, // the only record in second 1 failed
    { second: 1, pid: 102, count: 0 },
    { second: 2, pid: 101, count: 1 },
    { second: 2, pid: 102, count: 0 },
  ]);
});

test.run();
