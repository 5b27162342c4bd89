// `npm run simulate` flags: complete options from nothing, and bad input refused in one sentence.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measured } from '../../format/schema.js';
import { firstProblem } from '../../format/validate.js';
import { compareRuns, DEFAULT_ALPHA, DEFAULT_THRESHOLDS } from '../../reports/compare.js';
import { simulateCommand } from '../../scripts/commands/simulate.js';
import { resultOf, simLoadOf, simulateAll } from '../../scripts/lib/sim-result.js';
import { STRATEGY_NAMES } from '../../strategies/registry.js';
import { run } from '../reports/fixtures.js';

test('nothing given: every strategy, 8 workers, an open Poisson loop at 80%, exponential work of 1 ms, no costs', () => {
  const o = simulateCommand.parse({}, []);
  assert.equal(o.policies, [...STRATEGY_NAMES]);
  assert.equal(
    [o.workers, o.load, o.rho, o.rate, o.service, o.serviceMs, o.costs, o.ipcMs, o.reportMs, o.cores, o.wake, o.runs],
    [8, 'open', 0.8, undefined, 'exp', 1, { overheadMs: 0, primaryMs: 0, clientMs: 0 }, 0, 0, 10, 'lifo', 1],
  );
  assert.is(simulateCommand.parse({ ideal: true }, []).cores, Number.POSITIVE_INFINITY);
  const b = simulateCommand.parse({ 'primary-us': '20', 'report-us': '500', workers: '1024', utilization: '90', policy: 'lc,rr' }, []);
  assert.equal([b.costs.primaryMs, b.reportMs, b.workers, b.rho, b.policies], [0.02, 0.5, 1024, 0.9, ['least-connections', 'rr']]);
});

test("bench's load flags, with bench's defaults", () => {
  const burst = simulateCommand.parse({ load: 'burst', work: 'mixed:10:20', 'overhead-us': '400' }, []);
  assert.equal(
    [burst.load, burst.connections, burst.rounds, burst.service, burst.serviceMs, burst.percent],
    ['burst', 1000, 20, 'mixed', 20, 10],
  );
  const open = simulateCommand.parse({ load: 'open', rate: '500', duration: '4' }, []);
  assert.equal([open.rate, open.duration], [500, 4]);
  assert.equal(simLoadOf(open, open.costs), { kind: 'open', arrivals: 'fixed', rate: 0.5, requests: 2000, warmup: 0 });
  const churn = simulateCommand.parse({ load: 'churn', connections: '50', duration: '3' }, []);
  assert.equal(simLoadOf(churn, churn.costs), { kind: 'churn', connections: 50, durationMs: 3000 });
});

test('bad input: one sentence naming the value and the choices', () => {
  const cases: Array<[Record<string, string | boolean>, RegExp]> = [
    [{ policy: 'sticki' }, /unknown --policy 'sticki' \(valid: rr, none, .*\)/],
    [{ wake: 'stack' }, /unknown --wake 'stack' \(valid: lifo, fifo, random\)/],
    [{ ideal: true, cores: '4' }, /--cores does not go with --ideal/],
    [{ utilization: '120' }, /invalid --utilization '120': expected a number from 1 to 99/],
    [{ work: 'pareto:1' }, /invalid --work 'pareto:1'/],
    [{ work: 'io:5' }, /--work io has no CPU of its own: give --overhead-us/],
    [{ work: 'hello' }, /--work hello has no CPU of its own/],
    [{ load: 'flood' }, /unknown --load 'flood' \(valid: burst, sustained, churn, open\)/],
    [{ load: 'burst', rate: '5' }, /--rate does not apply to --load burst \(only to: open\)/],
    [{ rate: '5', utilization: '50' }, /--utilization does not go with --rate/],
    [{ workers: '0' }, /invalid --workers '0'/],
  ];
  for (const [values, line] of cases) assert.throws(() => simulateCommand.parse(values, []), line);
});

test('the result document is a valid result (kind of each strategy, repetitions, rounds, the model recorded): report and compare read it', () => {
  const o = simulateCommand.parse(
    { workers: '4', load: 'burst', connections: '40', rounds: '3', seed: '3', policy: 'rr,p2c', runs: '2' },
    [],
  );
  const reps = simulateAll(o);
  const doc = resultOf(o, reps, run([{ name: 'rr', counts: [[1, 1]] }]).env);
  assert.is(firstProblem(doc), null);
  assert.equal(
    measured(doc.strategies).map((s) => [s.name, s.kind, s.rep]),
    [
      ['rr', 'native', 1],
      ['p2c', 'dispatch', 1],
      ['rr', 'native', 2],
      ['p2c', 'dispatch', 2],
    ],
  );
  for (const s of measured(doc.strategies)) {
    assert.is(s.rounds.length, 3);
    assert.ok(
      s.rounds.every((r) => r.sent === 40),
      'every round: every connection answered',
    );
  }
  assert.is(doc.simulated?.settings.arrivals, 'closed loop');
  assert.equal([doc.options.load, doc.options.rounds, doc.options.connections], ['burst', 3, 40]);
  const c = compareRuns(
    { label: 'a', result: doc },
    { label: 'b', result: doc },
    { thresholds: { ...DEFAULT_THRESHOLDS }, alpha: DEFAULT_ALPHA },
  );
  assert.ok(c.rows.length > 0 && c.rows.every((r) => r.verdict === 'same'));
});

test.run();
