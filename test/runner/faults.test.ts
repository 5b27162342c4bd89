// --fault parsing, the worker log (events -> explanations), reconciliation with a round's context,
// and the incomplete / deadline texts. Pure: no process is started here (test/cli/faults.test.ts
// runs every fault for real).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RoundResult } from '../../format/schema.js';
import type { Snapshot } from '../../runner/cluster/protocol.js';
import { FAULT_FORMS, faultText, parseFault, WorkerLog } from '../../runner/faults.js';
import { INTERRUPTED, RUN_DEADLINE } from '../../runner/load/types.js';
import { resolveOptions } from '../../runner/options.js';
import { reconcileRound } from '../../runner/reconcile.js';
import { incompleteText } from '../../runner/rounds.js';
import { strategyOk } from '../../runner/run.js';
import { strategyDeadlineMs } from '../../runner/strategy-run.js';
import { checkFaultRound } from '../../scripts/lib/flag-values.js';
import { failed, ok, tallyOf } from '../helpers/records.js';

test('parseFault: every form, and back to its text', () => {
  const forms = ['kill-worker:3', 'hang-worker:1', 'exit-worker:20', 'slow-worker:50'];
  assert.equal(forms.map(parseFault), [
    { kind: 'kill', round: 3 },
    { kind: 'hang', round: 1 },
    { kind: 'exit', round: 20 },
    { kind: 'slow', ms: 50 },
  ]);
  assert.equal(forms.map(parseFault).map(faultText), forms);
});

test('parseFault: bad specs name the value and the valid forms, one line', () => {
  for (const [spec, why] of [
    ['kill-worker', 'expected NAME:NUMBER'],
    ['kill-worker:x', 'expected NAME:NUMBER'],
    ['kill-worker:-1', 'expected NAME:NUMBER'],
    ['kill-worker:0', 'ROUND counts from 1'],
    ['slow-worker:0', 'MS must be 1 to 60000'],
    ['slow-worker:60001', 'MS must be 1 to 60000'],
    ['nap-worker:2', "unknown fault 'nap-worker'"],
    ['__proto__:1', 'expected NAME:NUMBER'],
    ['constructor:1', "unknown fault 'constructor'"],
    ['', 'expected NAME:NUMBER'],
  ])
    assert.throws(
      () => parseFault(spec),
      (e: Error) => e.message === `invalid --fault '${spec}': ${why} (valid: ${FAULT_FORMS})`,
      spec,
    );
});

const W = [
  { id: 1, pid: 101 },
  { id: 2, pid: 102 },
];
const snap = (counts: Record<number, number>): Snapshot => ({
  workers: Object.entries(counts).map(([pid, n], i) => ({ id: i + 1, pid: Number(pid), requests: n, connections: n, cpuUs: 0 })),
  primaryCpuUs: 0,
});
const idOf = (pid: number): number => W.find((w) => w.pid === pid)?.id ?? 0;

test('WorkerLog: a kill is an event at its exit, expected, and explains that round only', () => {
  const log = new WorkerLog(performance.now(), idOf, 'kill-worker:2');
  log.round = 2;
  log.onNews({ type: 'fault', fault: { kind: 'kill', round: 2 }, worker: { id: 1, pid: 101 } });
  assert.equal(log.events, [], 'no event until it has died');
  log.onNews({ type: 'exit', exit: { pid: 101, code: null, signal: 'SIGKILL' } });
  assert.equal(
    log.events.map(({ atMs: _, ...e }) => e),
    [{ round: 2, id: 1, pid: 101, event: 'killed', expected: true, detail: '--fault kill-worker:2: SIGKILLed (signal SIGKILL)' }],
  );
  assert.equal(log.problems, []);
  assert.is(log.context(2).explain(101), 'killed in round 2');
  assert.is(log.context(2).explain(102), null);
  assert.is(log.context(3).explain(101), null);
  assert.equal(log.context(2).events, ['worker 101 killed']);
});

test('WorkerLog: a worker that dies unasked is a problem; a hang explains every round from its own', () => {
  const log = new WorkerLog(performance.now(), idOf, 'hang-worker:2');
  log.round = 2;
  log.onNews({ type: 'fault', fault: { kind: 'hang', round: 2 }, worker: { id: 1, pid: 101 } });
  assert.is(log.context(1).explain(101), null);
  assert.is(log.context(2).explain(101), 'hung in round 2');
  assert.is(log.context(4).explain(101), 'hung since round 2');
  log.round = 3;
  log.onNews({ type: 'exit', exit: { pid: 102, code: 1, signal: null } });
  assert.equal(log.events[1].event, 'died');
  assert.is(log.events[1].expected, false);
  assert.equal(log.problems, ['worker 102 exited during the run (code 1, signal null)']);
  log.onNews({ type: 'fault', fault: { kind: 'hang', round: 2 }, worker: null });
  assert.equal(log.problems[1], '--fault hang-worker:2: no worker left to apply it to');
});

test('WorkerLog: a replacement is an expected event naming the worker it replaces; a missed read is named', () => {
  const log = new WorkerLog(performance.now(), (pid) => (pid === 103 ? 3 : idOf(pid)), 'kill-worker:1');
  log.round = 1;
  log.onNews({ type: 'spawned', worker: { id: 3, pid: 103 }, replaces: 101 });
  assert.equal(log.events[0].detail, '--respawn: replaces worker 1 (pid 101)');
  log.stale([102]);
  log.stale([102]);
  assert.equal(log.events.filter((e) => e.event === 'unresponsive').length, 1, 'once per round');
  assert.equal(log.problems, ['round 1: worker 102 did not answer a counter read in time (its event loop may be stuck)']);
});

test('--fault reload: parsed and written back; a timed load only, and not with --respawn', () => {
  assert.equal(parseFault('reload'), { kind: 'reload', round: 1 });
  assert.is(faultText({ kind: 'reload', round: 1 }), 'reload');
  assert.match(FAULT_FORMS, /reload/);
  assert.throws(
    () => checkFaultRound(resolveOptions({ load: 'burst', fault: { kind: 'reload', round: 1 } })),
    /reload.*needs a timed load/,
  );
  assert.throws(
    () => checkFaultRound(resolveOptions({ load: 'open', respawn: true, fault: { kind: 'reload', round: 1 } })),
    /does not go with --respawn/,
  );
  checkFaultRound(resolveOptions({ load: 'sustained', fault: { kind: 'reload', round: 1 } }));
});

test('WorkerLog in a reload: each replacement and each retired worker expected, the hand-overs and the span kept, no problem', () => {
  const log = new WorkerLog(performance.now(), idOf, 'reload');
  log.round = 1;
  log.onNews({ type: 'fault', fault: { kind: 'reload', round: 1 }, worker: { id: 1, pid: 101 } });
  log.onNews({ type: 'spawned', worker: { id: 3, pid: 103 }, replaces: 101 });
  log.onNews({ type: 'exit', exit: { pid: 101, code: 0, signal: null } });
  log.onNews({ type: 'reload-step', old: { id: 1, pid: 101 }, new: { id: 3, pid: 103 }, ms: 40 });
  log.onNews({ type: 'spawned', worker: { id: 4, pid: 104 }, replaces: 102 });
  log.onNews({ type: 'exit', exit: { pid: 102, code: 0, signal: null } });
  log.onNews({ type: 'reload-step', old: { id: 2, pid: 102 }, new: { id: 4, pid: 104 }, ms: 55 });
  log.onNews({ type: 'reload-done', ms: 95 });
  assert.equal(log.problems, []);
  assert.equal(
    log.events.map((e) => [e.pid, e.event, e.expected]),
    [
      [103, 'spawned', true],
      [101, 'exited', true],
      [104, 'spawned', true],
      [102, 'exited', true],
    ],
  );
  assert.match(log.events[1].detail, /--fault reload: retired gracefully, its replacement ready \(code 0\)/);
  assert.equal(log.reload.steps, [
    { old: 101, new: 103, ms: 40 },
    { old: 102, new: 104, ms: 55 },
  ]);
  assert.ok(log.reload.fromMs >= 0 && log.reload.toMs !== null && log.reload.toMs >= log.reload.fromMs);
  // A kind that cannot add workers says why, and nothing is replaced.
  const refused = new WorkerLog(performance.now(), idOf, 'reload');
  refused.onNews({ type: 'fault', fault: { kind: 'reload', round: 1 }, worker: { id: 1, pid: 101 } });
  refused.onNews({ type: 'reload-done', ms: 0, refused: 'this kind cannot add a worker' });
  assert.is(refused.reload.refused, 'this kind cannot add a worker');
});

test('reconcile with a context: the dead or hung worker is explained, the failures of its round listed by code', () => {
  const seen = tallyOf(W, [ok(3, 102, 1), ok(3, 102, 1), failed(3, 0, 0, 'ROUND_DEADLINE'), failed(3, 0, 0, 'ROUND_DEADLINE')]).round(3);
  const context = { explain: (pid: number) => (pid === 101 ? 'hung since round 2' : null), events: [] };
  const { round, problems, explained } = reconcileRound(3, 4, seen, W, snap({ 101: 5, 102: 5 }), snap({ 101: 7, 102: 7 }), 1, context);
  assert.equal(problems, []);
  assert.equal(explained, [
    'round 3: worker 101 hung since round 2: it took 2 requests and answered 0: 2 never answered',
    'round 3: 2 of 4 requests failed: ROUND_DEADLINE 2',
  ]);
  assert.equal([round.mismatches, round.explained, round.errorsByCode], [2, 2, { ROUND_DEADLINE: 2 }]);
});

test('reconcile without a reason: the same difference stays a problem', () => {
  const seen = tallyOf(W, [ok(3, 102, 1), ok(3, 102, 1)]).round(3);
  const { round, problems, explained } = reconcileRound(3, 2, seen, W, snap({ 101: 5, 102: 5 }), snap({ 101: 7, 102: 7 }), 1);
  assert.equal(problems, ['round 3: worker 101 counted 2 requests, the client saw 0 from it']);
  assert.equal(explained, []);
  assert.is(round.explained, undefined);
});

test('a fault run is ok only when a worker event of its round accounts for every failure', () => {
  const W = [
    { id: 1, pid: 101 },
    { id: 2, pid: 102 },
  ];
  const s0: Snapshot = { workers: W.map((w) => ({ ...w, requests: 0, connections: 0, cpuUs: 0 })), primaryCpuUs: 0 };
  const s1: Snapshot = { ...s0, workers: [{ ...s0.workers[0], requests: 1, connections: 1 }, s0.workers[1]] };
  const log = new WorkerLog(0, (pid) => pid - 100, 'kill-worker:1');
  const cut = failed(1, 0, 0, 'ROUND_DEADLINE');
  // Round 1: worker 101 killed (2 resets); round 2: a deadline failure with no event at all.
  log.round = 1;
  log.onNews({ type: 'fault', fault: { kind: 'kill', round: 1 }, worker: { id: 1, pid: 101 } });
  log.onNews({ type: 'exit', exit: { pid: 101, code: null, signal: 'SIGKILL' } });
  const r1 = reconcileRound(
    1,
    3,
    tallyOf(W, [ok(1, 101, 1), failed(1, 0, 0, 'ECONNRESET'), failed(1, 0, 0, 'ECONNRESET')]).round(1),
    W,
    s0,
    s1,
    1,
    log.context(1),
  );
  const r2 = reconcileRound(2, 1, tallyOf(W, [{ ...cut, round: 2 }]).round(2), W, s1, s1, 1, log.context(2));
  assert.equal([r1.round.errorsExplained, r2.round.errorsExplained], [2, undefined]);
  const strategy = (rounds: RoundResult[]): MeasuredStrategy =>
    ({
      totals: { sent: 4, ok: 1, errors: rounds.reduce((a, r) => a + r.errors, 0), mismatches: 0, accounted: true },
      rounds,
      workerEvents: log.events,
    }) as unknown as MeasuredStrategy;
  assert.is(strategyOk(strategy([r1.round]), true), true, 'every failure explained by the kill');
  assert.is(strategyOk(strategy([r1.round, r2.round]), true), false, "round 2's deadline failure has no event: exit 1");
  assert.is(strategyOk(strategy([r1.round]), false), false, 'without --fault any failure is a failed run');
});

test('incompleteText and the strategy deadline', () => {
  const stopped = (reason: string): AbortSignal => AbortSignal.abort(reason);
  assert.is(incompleteText(20, 20, undefined, stopped(INTERRUPTED)), undefined);
  assert.is(incompleteText(3, 20, 3, stopped(INTERRUPTED)), 'interrupted in round 3 of 20: that round is partial');
  assert.is(incompleteText(2, 20, undefined, stopped(INTERRUPTED)), 'interrupted after round 2 of 20');
  assert.is(incompleteText(1, 1, 1, stopped(RUN_DEADLINE)), 'ran past its deadline during the load: it is partial');
  // Every round at its deadline, plus 2 s each for reading counters, plus 20 s.
  assert.is(strategyDeadlineMs(resolveOptions({ rounds: 5, roundTimeoutMs: 1000 })), 5 * 3000 + 20_000);
  assert.is(strategyDeadlineMs(resolveOptions({ load: 'sustained', duration: 10, roundTimeoutMs: 1000 })), 10_000 + 1000 + 20_000);
});

test.run();
