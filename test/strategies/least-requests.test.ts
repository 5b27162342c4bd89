// least-requests (pull-based): an idle worker (no request in flight) gets the connection, rotating
// among the idle; with none idle, the fewest requests in flight; and the dispatcher keeps
// `requests` from the workers' reports plus what it handed them since.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Dispatcher, LOAD } from '../../runner/cluster/dispatch.js';
import { createLeastRequests } from '../../strategies/least-requests.js';
import type { WorkerLoad } from '../../strategies/types.js';

const workers = (requests: number[]): WorkerLoad[] =>
  requests.map((r, i) => ({ id: i + 1, pid: 100 + i, active: 0, served: 0, requests: r }));
const never = (): number => {
  throw new Error('least-requests must not draw random numbers');
};

test('an idle worker wins over a busier one, whatever its connections', () => {
  const p = createLeastRequests();
  const ws = workers([2, 0, 1]);
  ws[1].active = 50; // many open keep-alive connections, but nothing in flight
  assert.is(p.pick(ws, never), 1);
});

test('idle workers take turns (join-idle-queue order, approximated by a rotating cursor)', () => {
  const p = createLeastRequests();
  const ws = workers([0, 0, 0]);
  assert.equal(
    Array.from({ length: 4 }, () => p.pick(ws, never)),
    [0, 1, 2, 0],
  );
});

test('none idle: the fewest in flight; ties rotate', () => {
  const p = createLeastRequests();
  assert.is(p.pick(workers([3, 1, 2]), never), 1);
  const q = createLeastRequests();
  const ws = workers([2, 2]);
  assert.equal([q.pick(ws, never), q.pick(ws, never)], [0, 1]);
});

test('the dispatcher: a handed connection counts as a request until the worker reports; a report is in flight plus not yet received', () => {
  const sent: number[] = [];
  const conn = { close() {} };
  const d = new Dispatcher(
    [0, 1].map((i) => ({
      id: i + 1,
      pid: 100 + i,
      send: (_m: unknown, _h: unknown, cb: (e: Error | null) => void) => {
        sent.push(i);
        cb(null);
      },
    })),
    createLeastRequests(),
    never,
  );
  d.dispatch(conn);
  d.dispatch(conn);
  assert.equal(sent, [0, 1], 'both idle: one each');
  assert.equal(
    d.loads.map((l) => l.requests),
    [1, 1],
  );
  // Worker 0 finished its request (nothing in flight, 1 connection received): idle again.
  d.onReply(0, { type: LOAD, inflight: 0, taken: 1 });
  d.dispatch(conn);
  assert.equal(sent, [0, 1, 0]);
  // Worker 1 says 3 in flight but has received only 0 of the 1 handed: 4.
  d.onReply(1, { type: LOAD, inflight: 3, taken: 0 });
  assert.equal(
    d.loads.map((l) => l.requests),
    [1, 4],
  );
  d.dispatch(conn);
  assert.equal(sent, [0, 1, 0, 0], 'the one with fewer in flight');
});

test.run();
