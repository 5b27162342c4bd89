// `npm run simulate` flags: complete options from nothing, and bad input refused in one sentence.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { firstProblem } from '../../format/validate.js';
import { compareRuns, DEFAULT_ALPHA, DEFAULT_THRESHOLDS } from '../../reports/compare.js';
import { simulateCommand } from '../../scripts/commands/simulate.js';
import { resultOf } from '../../scripts/lib/sim-result.js';
import { simulate } from '../../sim/engine.js';
import { placementOf } from '../../sim/placement.js';
import { run } from '../reports/fixtures.js';

test('nothing given: the modelled strategies, 8 workers at 80%, exponential service of 1 ms', () => {
  const o = simulateCommand.parse({}, []);
  assert.equal(o.policies, ['rr', 'none', 'reuseport', 'random', 'least-connections', 'p2c', 'least-requests']);
  assert.equal(
    [o.workers, o.rho, o.service, o.serviceMs, o.primaryMs, o.ipcMs, o.reportMs, o.cores, o.wake],
    [8, 0.8, 'exp', 1, 0, 0, 0, 9, 'lifo'],
  );
  assert.is(simulateCommand.parse({ ideal: true }, []).cores, Number.POSITIVE_INFINITY);
  const b = simulateCommand.parse({ 'primary-us': '20', 'report-us': '500', workers: '1024', utilization: '90' }, []);
  assert.equal([b.primaryMs, b.reportMs, b.workers, b.rho], [0.02, 0.5, 1024, 0.9]);
});

test('bad input: one sentence naming the value and the choices', () => {
  const cases: Array<[Record<string, string | boolean>, RegExp]> = [
    [
      { policy: 'sticky' },
      /unknown --policy 'sticky' \(valid: rr, none, reuseport, random, least-connections, p2c, least-requests \(the simulator models these so far\)\)/,
    ],
    [{ wake: 'stack' }, /unknown --wake 'stack' \(valid: lifo, fifo, random\)/],
    [{ ideal: true, cores: '4' }, /--cores does not go with --ideal/],
    [{ utilization: '120' }, /invalid --utilization '120': expected a number from 1 to 99/],
    [{ service: 'pareto' }, /unknown --service 'pareto' \(valid: exp, fixed\)/],
    [{ workers: '0' }, /invalid --workers '0'/],
  ];
  for (const [values, line] of cases) assert.throws(() => simulateCommand.parse(values, []), line);
});

test('the result document is a valid result (kind of each strategy, the model recorded): report and compare read it', () => {
  const o = simulateCommand.parse({ workers: '4', requests: '5000', seed: '3', policy: 'rr,p2c' }, []);
  const results = o.policies.map((strategy) => {
    const placement = placementOf(strategy, o.wake);
    if (placement === null) throw new Error(strategy);
    return { strategy, result: simulate({ ...o, placement, warmup: 500 }) };
  });
  const doc = resultOf(o, results, run([{ name: 'rr', counts: [[1, 1]] }]).env);
  assert.is(firstProblem(doc), null);
  assert.equal(
    doc.strategies.map((s) => [s.name, s.kind]),
    [
      ['rr', 'native'],
      ['p2c', 'dispatch'],
    ],
  );
  assert.is(doc.simulated?.settings.utilization, 0.8);
  assert.is(doc.options.load, 'open');
  const c = compareRuns(
    { label: 'a', result: doc },
    { label: 'b', result: doc },
    { thresholds: { ...DEFAULT_THRESHOLDS }, alpha: DEFAULT_ALPHA },
  );
  assert.ok(c.rows.length > 0 && c.rows.every((r) => r.verdict === 'same'));
});

test.run();
