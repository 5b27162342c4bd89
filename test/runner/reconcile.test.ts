// One round reconciled from hand-made client records and worker snapshots: what the client saw per
// pid against what each worker counted between the snapshots before and after the round.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RequestRecord } from '../../format/requests.js';
import { reconcileRound, settle } from '../../runner/reconcile.js';
import { UNKNOWN_PID } from '../../runner/tally.js';
import { failed, ok, snap, tallyOf, WORKERS } from '../helpers/records.js';

const before = snap({ 101: [10, 10], 102: [5, 5] });

/** The client's tally of one round's records (all of the same round). */
const seen = (records: RequestRecord[]) => tallyOf(WORKERS, records).round(records[0]?.round ?? 1);

test('matching counts: 3 + 1 responses, the workers counted 3 + 1; no problem', () => {
  const records = [ok(1, 101, 900), ok(1, 101, 1100), ok(1, 102, 1000), ok(1, 101, 1200)];
  const after = snap({ 101: [13, 13], 102: [6, 6] });
  assert.equal(reconcileRound(1, 4, seen(records), WORKERS, before, after, 12.34), {
    round: {
      index: 1,
      counts: { 101: 3, 102: 1 },
      server: { 101: 3, 102: 1 },
      connections: { 101: 3, 102: 1 },
      sent: 4,
      ok: 4,
      errors: 0,
      mismatches: 0,
      topShare: 0.75, // 3 of 4
      wallMs: 12.3,
    },
    problems: [],
    explained: [],
  });
});

test('a worker with zero requests in the round is present with 0, and the top share is 1', () => {
  const after = snap({ 101: [12, 12], 102: [5, 5] });
  const { round, problems } = reconcileRound(3, 2, seen([ok(3, 101, 1), ok(3, 101, 1)]), WORKERS, before, after, 1);
  assert.equal([round.counts, round.server, round.topShare, problems], [{ 101: 2, 102: 0 }, { 101: 2, 102: 0 }, 1, []]);
});

test('a request the server counted but the client never saw from it: mismatch 1 and one sentence', () => {
  const records = [ok(2, 101, 900), ok(2, 101, 1100), ok(2, 102, 1000)];
  const after = snap({ 101: [13, 13], 102: [6, 6] }); // worker 101 counted 3, the client saw 2
  const { round, problems } = reconcileRound(2, 3, seen(records), WORKERS, before, after, 5);
  assert.equal([round.counts, round.server, round.ok, round.errors, round.mismatches], [{ 101: 2, 102: 1 }, { 101: 3, 102: 1 }, 3, 0, 1]);
  assert.equal(problems, ['round 2: worker 101 counted 3 requests, the client saw 2 from it']);
});

test('mismatches add up over workers, in both directions', () => {
  const records = [ok(1, 101, 1), ok(1, 101, 1), ok(1, 102, 1)];
  const after = snap({ 101: [11, 11], 102: [8, 8] }); // 101: client 2 vs server 1; 102: client 1 vs server 3
  const { round, problems } = reconcileRound(1, 3, seen(records), WORKERS, before, after, 1);
  assert.is(round.mismatches, 3);
  assert.equal(problems, [
    'round 1: worker 101 counted 1 requests, the client saw 2 from it',
    'round 1: worker 102 counted 3 requests, the client saw 1 from it',
  ]);
});

test('a lost request (sent, no record): counted as an error and named', () => {
  const records = [ok(4, 101, 1), ok(4, 102, 1), ok(4, 102, 1)];
  const after = snap({ 101: [11, 11], 102: [7, 7] });
  const { round, problems } = reconcileRound(4, 4, seen(records), WORKERS, before, after, 1);
  assert.equal([round.sent, round.ok, round.errors, round.mismatches], [4, 3, 1, 0]);
  assert.equal(problems, ['round 4: 4 requests sent but 3 came back (1 lost)']);
});

test('a pid that is not a worker: the record is marked UNKNOWN_PID, counted as an error, and named', () => {
  const records = [ok(1, 101, 1), ok(1, 4242, 1), ok(1, 102, 1)];
  const after = snap({ 101: [11, 11], 102: [6, 6] });
  const { round, problems } = reconcileRound(1, 3, seen(records), WORKERS, before, after, 1);
  assert.is(records[1].error, UNKNOWN_PID);
  assert.is(UNKNOWN_PID, 'UNKNOWN_PID');
  assert.equal([round.counts, round.ok, round.errors, round.mismatches], [{ 101: 1, 102: 1 }, 2, 1, 0]);
  assert.equal(Object.keys(round.counts), ['101', '102'], 'only worker pids are keys');
  assert.equal(problems, ['round 1: 1 response carried a pid that is not one of the workers']);
});

test('a failed response from an unknown pid keeps its first cause (HTTP_503), and is still named', () => {
  const records = [ok(1, 101, 1), failed(1, 4242, 503, 'HTTP_503')];
  const t = tallyOf(WORKERS, records);
  const { round, problems } = reconcileRound(1, 2, t.round(1), WORKERS, before, snap({ 101: [11, 11], 102: [5, 5] }), 1);
  assert.is(records[1].error, 'HTTP_503');
  assert.equal(t.errorsByCode, { HTTP_503: 1 });
  assert.equal([round.ok, round.errors], [1, 1]);
  assert.equal(problems, ['round 1: 1 response carried a pid that is not one of the workers']);
});

test('client errors: a reset (no pid) and a 503 from worker 102 are errors; the 503 still counts as seen from 102', () => {
  const records = [ok(1, 101, 1), failed(1, 0, 0, 'ECONNRESET'), failed(1, 102, 503, 'HTTP_503')];
  const after = snap({ 101: [11, 12], 102: [6, 6] }); // 101 took the reset connection too
  const { round, problems } = reconcileRound(1, 3, seen(records), WORKERS, before, after, 1);
  assert.equal(round, {
    index: 1,
    counts: { 101: 1, 102: 1 },
    server: { 101: 1, 102: 1 },
    connections: { 101: 2, 102: 1 },
    sent: 3,
    ok: 1,
    errors: 2,
    mismatches: 0,
    topShare: 0.5,
    wallMs: 1,
    errorsByCode: { ECONNRESET: 1, HTTP_503: 1 },
  });
  assert.equal(problems, []);
});

test('the round deadline: requests a worker counted but the client stopped waiting for are its ROUND_DEADLINE errors, explained, not problems', () => {
  // 6 sent; the client saw 1 answer from each worker and cut 4 off at the deadline; 101 counted 3, 102 counted 2.
  const records = [ok(1, 101, 1), ok(1, 102, 1), ...Array.from({ length: 4 }, () => failed(1, 0, 0, 'ROUND_DEADLINE'))];
  const after = snap({ 101: [13, 13], 102: [7, 8] }); // 102 also had a connection it never read a request from
  const { round, problems, explained, uncounted } = reconcileRound(1, 6, seen(records), WORKERS, before, after, 1);
  assert.equal([round.ok, round.errors, round.mismatches, round.explained, round.errorsByCode], [2, 4, 3, 3, { ROUND_DEADLINE: 4 }]);
  assert.equal(problems, []);
  assert.is(uncounted, 1, 'one cut off request no worker counted (yet)');
  assert.equal(explained, [
    "round 1: worker 101 counted 3 requests, the client saw 1 from it: 2 of the round's ROUND_DEADLINE errors (the client stopped waiting)",
    "round 1: worker 102 counted 2 requests, the client saw 1 from it: 1 of the round's ROUND_DEADLINE errors (the client stopped waiting)",
  ]);
  assert.is(round.errorsExplained, undefined, 'the deadline explains the counts, not the failures: no worker event made them fail');
});

test("a hung worker's unanswered requests use up the round's deadline cut-offs: a healthy worker's over-count is still a problem", () => {
  // 5 sent: 101 hung (took 2, answered none: 2 ROUND_DEADLINE); 102 answered 3 but counted 4.
  const records = [ok(1, 102, 1), ok(1, 102, 1), ok(1, 102, 1), failed(1, 0, 0, 'ROUND_DEADLINE'), failed(1, 0, 0, 'ROUND_DEADLINE')];
  const after = snap({ 101: [12, 12], 102: [9, 9] });
  const hung = { explain: (pid: number) => (pid === 101 ? 'hung in round 1' : null), events: ['worker 101 hung'] };
  const { problems, explained, uncounted } = reconcileRound(1, 5, seen(records), WORKERS, before, after, 1, hung);
  assert.equal(problems, ['round 1: worker 102 counted 4 requests, the client saw 3 from it']);
  assert.equal(explained[0], 'round 1: worker 101 hung in round 1: it took 2 requests and answered 0: 2 never answered');
  assert.is(uncounted, undefined, 'nothing left over for the next round either');
});

test('a worker whose counts were final (killed, exited, hung) cannot have answered more than it counted: a problem, not explained', () => {
  const records = [ok(1, 101, 1), ok(1, 101, 1), ok(1, 101, 1), ok(1, 102, 1)];
  const after = snap({ 101: [12, 12], 102: [6, 6] }); // 101 counted 2, answered 3
  const killed = { explain: (pid: number) => (pid === 101 ? 'killed in round 1' : null), events: ['worker 101 killed'] };
  const r = reconcileRound(1, 4, seen(records), WORKERS, before, after, 1, killed);
  assert.equal(r.problems, [
    'round 1: worker 101 counted 2 requests, the client saw 3 from it: more than it counted, although its counts were current (killed in round 1)',
  ]);
  // A worker that died unasked or missed a read may have answered after its last counts: explained.
  const died = { ...killed, explain: (pid: number) => (pid === 101 ? 'died in round 1' : null), lagging: (pid: number) => pid === 101 };
  const d = reconcileRound(1, 4, seen(records), WORKERS, before, after, 1, died);
  assert.equal(d.problems, []);
  assert.match(d.explained[0], /1 answered after its counters were last read/);
});

test('the round deadline explains no more than it cut off, and never a worker the client saw more from', () => {
  // 1 cut off; 101 counted 3 but the client saw 1 from it (2 > 1 cut off); 102 counted 0, the client saw 1.
  const records = [ok(1, 101, 1), ok(1, 102, 1), failed(1, 0, 0, 'ROUND_DEADLINE')];
  const after = snap({ 101: [13, 13], 102: [5, 5] });
  const { problems, explained } = reconcileRound(1, 3, seen(records), WORKERS, before, after, 1);
  assert.equal(problems, [
    'round 1: worker 101 counted 3 requests, the client saw 1 from it',
    'round 1: worker 102 counted 0 requests, the client saw 1 from it',
  ]);
  assert.equal(explained, []);
});

test("a cut-off request a worker reads only in the next round: explained there by the previous round's uncounted ones", () => {
  // Round 2: every request answered, but worker 101 also counted 2 requests cut off at round 1's deadline.
  const records = [ok(2, 101, 1), ok(2, 102, 1)];
  const after = snap({ 101: [13, 13], 102: [6, 6] });
  const late = reconcileRound(2, 2, seen(records), WORKERS, before, after, 1, { explain: () => null, events: [], lateCutOffs: 2 });
  assert.equal([late.problems, late.round.explained, late.uncounted], [[], 2, undefined]);
  assert.equal(late.explained, [
    'round 2: worker 101 counted 3 requests, the client saw 1 from it: 2 of the ROUND_DEADLINE errors of rounds 1 and 2 (the client stopped waiting)',
  ]);
  // Without them (no deadline in round 1), the same counts are a problem.
  assert.equal(reconcileRound(2, 2, seen(records), WORKERS, before, after, 1).problems, [
    'round 2: worker 101 counted 3 requests, the client saw 1 from it',
  ]);
  // Fewer late than the excess: still a problem.
  assert.is(
    reconcileRound(2, 2, seen(records), WORKERS, before, after, 1, { explain: () => null, events: [], lateCutOffs: 1 }).problems.length,
    1,
  );
});

test('settle: after a round with failures, the counters are read until two readings agree (a late count lands in its round)', async () => {
  const readings = [snap({ 101: [11, 11], 102: [5, 5] }), snap({ 101: [12, 12], 102: [5, 5] }), snap({ 101: [12, 12], 102: [5, 5] })];
  let reads = 0;
  const read = async () => readings[Math.min(reads++, readings.length - 1)];
  const settled = await settle(read, snap({ 101: [10, 10], 102: [5, 5] }), 1, 1000);
  assert.equal(settled.workers.find((w) => w.pid === 101)?.requests, 12);
  assert.is(reads, 3, 'stops once two readings agree');
  let forever = 0;
  const moving = async () => snap({ 101: [++forever, forever], 102: [0, 0] });
  const t0 = performance.now();
  await settle(moving, snap({ 101: [0, 0], 102: [0, 0] }), 5, 60);
  assert.ok(performance.now() - t0 < 500, 'bounded when the counters never settle');
});

test.run();
