// The live view's lines: a bar per worker scaled to the busiest, its count and share; past 16
// workers the busiest 15 and how many more.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { liveLines } from '../../reports/terminal.js';

test('a bar per worker, the busiest full width, counts and shares, the even share in the header', () => {
  const lines = liveLines('rr', 'round 3', [
    { id: 1, pid: 11, count: 30 },
    { id: 2, pid: 12, count: 15 },
    { id: 3, pid: 13, count: 15 },
  ]);
  assert.is(lines[0], '  rr  round 3  (even share 33.3%)');
  assert.is(lines[1], `    worker  1  ${'█'.repeat(30)}      30   50.0%`);
  assert.is(lines[2], `    worker  2  ${'█'.repeat(15)}${'·'.repeat(15)}      15   25.0%`);
  assert.is(lines.length, 4);
});

test('nothing served yet: empty bars, 0%; 40 workers: the busiest 15 and "25 more"', () => {
  assert.match(liveLines('none', 'round 1', [{ id: 1, pid: 1, count: 0 }])[1], /worker {2}1 {2}·{30} +0 +0\.0%/);
  const many = Array.from({ length: 40 }, (_, i) => ({ id: i + 1, pid: 100 + i, count: i }));
  const lines = liveLines('lc', 'second 4', many);
  assert.is(lines.length, 1 + 15 + 1);
  assert.match(lines[1], /worker 40/);
  assert.is(lines[16], '    … 25 more workers');
});

test.run();
