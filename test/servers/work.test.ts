import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { doWork, formatWork, parseWork, WORK_FORMS, type WorkProfile } from '../../servers/work.js';

const good: Array<{ text: string; expected: WorkProfile }> = [
  { text: 'hello', expected: { kind: 'hello' } },
  { text: 'cpu:5', expected: { kind: 'cpu', ms: 5 } },
  { text: 'cpu:0.5', expected: { kind: 'cpu', ms: 0.5 } },
  { text: 'io:10', expected: { kind: 'io', ms: 10 } },
  { text: 'mixed:10:20', expected: { kind: 'mixed', percent: 10, ms: 20 } },
  { text: 'mixed:100:1', expected: { kind: 'mixed', percent: 100, ms: 1 } },
  { text: 'io:60000', expected: { kind: 'io', ms: 60000 } },
  { text: 'exp:2', expected: { kind: 'exp', ms: 2 } },
];

for (const c of good) {
  test(`--work ${c.text} parses, and formats back to the same text`, () => {
    assert.equal(parseWork(c.text), c.expected);
    assert.is(formatWork(c.expected), c.text);
  });
}

const forms = `(valid: ${WORK_FORMS})`;
const bad: Array<{ text: string; why: string }> = [
  { text: 'cpu', why: 'cpu takes one argument, MS' },
  { text: 'cpu:-1', why: 'MS must be a positive number' },
  { text: 'cpu:abc', why: 'MS must be a positive number' },
  { text: 'cpu:0', why: 'MS must be > 0 and <= 60000' },
  { text: 'cpu:5:5', why: 'cpu takes one argument, MS' },
  { text: 'io:', why: 'MS must be a positive number' },
  { text: 'io:60001', why: 'MS must be > 0 and <= 60000' },
  { text: 'mixed:200:5', why: 'P must be > 0 and <= 100' },
  { text: 'mixed:10', why: 'mixed takes two arguments, P and MS' },
  { text: 'mixed:x:5', why: 'P must be a positive number' },
  { text: 'hello:1', why: 'hello takes no argument' },
  { text: 'bogus', why: "unknown profile 'bogus'" },
  { text: '', why: "unknown profile ''" },
  { text: 'Hello', why: "unknown profile 'Hello'" },
];

for (const c of bad) {
  test(`--work '${c.text}' is refused: one line naming the value, the reason and the valid forms`, () => {
    assert.throws(
      () => parseWork(c.text),
      (err: Error) => err.message === `invalid --work '${c.text}': ${c.why} ${forms}`,
    );
  });
}

test('the valid forms are spelled out', () => {
  assert.is(WORK_FORMS, 'hello, cpu:MS, io:MS, mixed:P:MS, exp:MS');
});

test('doWork: exp burns the exponential quantile of the draw (mean MS), synchronously', () => {
  const t0 = performance.now();
  // draw 1 - e^-1: exactly the mean, 2 ms.
  assert.is(
    doWork({ kind: 'exp', ms: 2 }, () => 1 - Math.exp(-1)),
    undefined,
  );
  const took = performance.now() - t0;
  assert.ok(took >= 2 && took < 50, `${took} ms`);
});

test('doWork: hello and cpu finish synchronously; io returns a promise; mixed burns only when the draw is under P', async () => {
  assert.is(
    doWork({ kind: 'hello' }, () => 0),
    undefined,
  );
  assert.is(
    doWork({ kind: 'cpu', ms: 1 }, () => 0),
    undefined,
  );
  const io = doWork({ kind: 'io', ms: 1 }, () => 0);
  assert.instance(io, Promise);
  assert.is(await io, undefined);
  const draws: number[] = [];
  const draw = (v: number) => () => {
    draws.push(v);
    return v;
  };
  // P = 10: a draw of 0.05 (5 < 10) burns, 0.5 does not; either way one draw per request
  assert.is(doWork({ kind: 'mixed', percent: 10, ms: 1 }, draw(0.05)), undefined);
  assert.is(doWork({ kind: 'mixed', percent: 10, ms: 1 }, draw(0.5)), undefined);
  assert.equal(draws, [0.05, 0.5]);
});

test.run();
