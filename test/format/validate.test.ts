import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../format/errors.js';
import { validateResult } from '../../format/validate.js';
import { tiny } from '../reports/fixtures.js';

const FILE = 'results/x/result.json';

/** The one-line message for a document, or null when it is valid. */
function problem(doc: unknown): string | null {
  try {
    validateResult(doc, FILE);
    return null;
  } catch (err) {
    assert.instance(err, UsageError);
    assert.is((err as UsageError).exitCode, 2);
    return (err as Error).message;
  }
}

const edit = (f: (r: any) => void): unknown => {
  const r = JSON.parse(JSON.stringify(tiny()));
  f(r);
  return r;
};

test('a result written by the runner shape is valid', () => {
  assert.is(problem(tiny()), null);
});

const cases: Array<[string, unknown, string]> = [
  ['not an object', [1, 2], 'top level: expected a JSON object, got [1,2]'],
  ['no schemaVersion', edit((r) => delete r.schemaVersion), 'no schemaVersion (not a cluster-sched-bench result file?)'],
  ['a newer schemaVersion', edit((r) => (r.schemaVersion = 2)), 'unsupported schemaVersion 2 (this version reads 1)'],
  ['schemaVersion as a string', edit((r) => (r.schemaVersion = '1')), 'unsupported schemaVersion "1" (this version reads 1)'],
  ['missing env', edit((r) => delete r.env), 'env: required'],
  ['hostname a number', edit((r) => (r.env.hostname = 7)), 'env.hostname: expected a string, got 7'],
  ['label neither string nor null', edit((r) => (r.env.label = 3)), 'env.label: expected a string or null, got 3'],
  ['strategies not an array', edit((r) => (r.strategies = {})), 'strategies: expected an array, got {}'],
  // Measured or skipped: two kinds of object, named once (found by test/property/result-files.test.ts).
  ['a strategy that is not an object', edit((r) => (r.strategies[0] = 5)), 'strategies[0]: expected an object, got 5'],
  [
    'a count that is text',
    edit((r) => (r.strategies[1].rounds[0].counts['2000'] = 'x')),
    'strategies[1].rounds[0].counts.2000: expected a whole number, got "x"',
  ],
  [
    'maxMin a string',
    edit((r) => (r.strategies[0].metrics.maxMin = 'inf')),
    'strategies[0].metrics.maxMin: expected a number or null, got "inf"',
  ],
  ['latency curve point without ms', edit((r) => delete r.strategies[0].latencyCurve[1].ms), 'strategies[0].latencyCurve[1].ms: required'],
  [
    'accounted not boolean',
    edit((r) => (r.strategies[0].totals.accounted = 'yes')),
    'strategies[0].totals.accounted: expected true or false, got "yes"',
  ],
];

for (const [name, doc, expected] of cases) {
  test(`rejected: ${name}`, () => {
    assert.is(problem(doc), `bad result file ${FILE}: ${expected}`);
  });
}

test('null maxMin (infinite) and null label are valid; a skipped strategy needs only name, kind and reason', () => {
  assert.is(problem(edit((r) => (r.strategies[1].metrics.maxMin = null))), null);
  assert.is(problem(edit((r) => (r.strategies[1] = { name: 'reuseport', kind: 'kernel', skipped: 'needs Node >= 22.12' }))), null);
});

test.run();
