import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createLeastConnections } from '../../strategies/least-connections.js';
import type { WorkerLoad } from '../../strategies/types.js';

const workers = (active: number[]): WorkerLoad[] => active.map((a, i) => ({ id: i + 1, pid: 100 + i, active: a, served: 0, requests: 0 }));
const never = (): number => {
  throw new Error('least-connections must not draw random numbers');
};

const cases: Array<{ name: string; active: number[]; picks: number; expected: number[] }> = [
  { name: 'the single least-loaded worker wins', active: [3, 1, 2], picks: 1, expected: [1] },
  { name: 'ties rotate from the cursor instead of piling on worker 0', active: [0, 0, 0, 0], picks: 6, expected: [0, 1, 2, 3, 0, 1] },
  { name: 'a tie after a pick starts after the last winner', active: [2, 0, 2, 0], picks: 3, expected: [1, 3, 1] },
  { name: 'one worker', active: [7], picks: 3, expected: [0, 0, 0] },
];

for (const c of cases) {
  test(c.name, () => {
    const picker = createLeastConnections();
    const ws = workers(c.active);
    const got = Array.from({ length: c.picks }, () => picker.pick(ws, never));
    assert.equal(got, c.expected);
  });
}

test('when nothing closes, 1000 picks over 4 workers give exact shares [0.25, 0.25, 0.25, 0.25]', () => {
  const picker = createLeastConnections();
  const ws = workers([0, 0, 0, 0]);
  for (let i = 0; i < 1000; i++) ws[picker.pick(ws, never)].active++;
  assert.equal(
    ws.map((w) => w.active / 1000),
    [0.25, 0.25, 0.25, 0.25],
  );
});

test('a worker whose connections close at once gets everything; one holding them gets nothing more', () => {
  const picker = createLeastConnections();
  const ws = workers([5, 0]); // worker 0 is stuck with 5 open connections
  const got: number[] = [];
  for (let i = 0; i < 4; i++) {
    const k = picker.pick(ws, never);
    got.push(k);
    if (k === 1) ws[1].active = 0; // worker 1 closes each connection immediately
  }
  assert.equal(got, [1, 1, 1, 1]);
});

test.run();
