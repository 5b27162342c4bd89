// `npm run simulate` flags: complete options from nothing, and bad input refused in one sentence.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { simulateCommand } from '../../scripts/commands/simulate.js';

test('nothing given: the modelled strategies, 8 workers at 80%, exponential service of 1 ms', () => {
  const o = simulateCommand.parse({}, []);
  assert.equal(o.policies, ['rr', 'random', 'least-connections', 'p2c', 'least-requests']);
  assert.equal([o.workers, o.rho, o.service, o.serviceMs, o.primaryMs, o.ipcMs, o.reportMs], [8, 0.8, 'exp', 1, 0, 0, 0]);
  const b = simulateCommand.parse({ 'primary-us': '20', 'report-us': '500', workers: '1024', utilization: '90' }, []);
  assert.equal([b.primaryMs, b.reportMs, b.workers, b.rho], [0.02, 0.5, 1024, 0.9]);
});

test('bad input: one sentence naming the value and the choices', () => {
  const cases: Array<[Record<string, string>, RegExp]> = [
    [
      { policy: 'none' },
      /unknown --policy 'none' \(valid: rr, random, least-connections, p2c, least-requests \(the simulator models these so far\)\)/,
    ],
    [{ utilization: '120' }, /invalid --utilization '120': expected a number from 1 to 99/],
    [{ service: 'pareto' }, /unknown --service 'pareto' \(valid: exp, fixed\)/],
    [{ workers: '0' }, /invalid --workers '0'/],
  ];
  for (const [values, line] of cases) assert.throws(() => simulateCommand.parse(values, []), line);
});

test.run();
