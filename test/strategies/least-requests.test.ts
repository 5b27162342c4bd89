// least-requests (pull-based): an idle worker (no request in flight) gets the connection, rotating
// among the idle; with none idle, the fewest requests in flight; and the dispatcher keeps
// `requests` from the workers' reports plus what it handed them since; the workers' side of those
// reports on fakes (the same code a worker runs, without sockets).

import { EventEmitter } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Dispatcher, LOAD } from '../../runner/cluster/dispatch.js';
import { trackRequests } from '../../runner/cluster/dispatch-worker.js';
import { createLeastRequests } from '../../strategies/least-requests.js';
import type { WorkerLoad } from '../../strategies/types.js';
import { HOLD } from '../../strategies/types.js';
import { within } from '../helpers/wait.js';

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

test('none idle: HOLD (the dispatcher keeps it); its fallback is the fewest in flight, ties rotating', () => {
  const p = createLeastRequests();
  assert.is(p.pick(workers([3, 1, 2]), never), HOLD);
  assert.is(p.fallback?.(workers([3, 1, 2]), never), 1);
  const q = createLeastRequests();
  const ws = workers([2, 2]);
  assert.equal([q.fallback?.(ws, never), q.fallback?.(ws, never)], [0, 1]);
});

test('the dispatcher: one connection per idle worker; the rest held in one queue and handed, oldest first, to whichever worker reports it is idle', () => {
  const sent: Array<[number, string]> = [];
  const d = new Dispatcher(
    [0, 1].map((i) => ({
      id: i + 1,
      pid: 100 + i,
      send: (_m: unknown, h: { close(): void }, cb: (e: Error | null) => void) => {
        sent.push([i, (h as { name?: string }).name ?? '']);
        cb(null);
      },
    })),
    createLeastRequests(10_000),
    never,
  );
  const conn = (name: string) => ({ name, close() {} });
  for (const name of ['a', 'b', 'c', 'd']) d.dispatch(conn(name));
  assert.equal(sent, [
    [0, 'a'],
    [1, 'b'],
  ]);
  assert.is(d.pending, 2, 'c and d held in the primary');
  // Worker 1 done (nothing in flight, its 1 connection received): it gets the oldest held, c.
  d.onReply(1, { type: LOAD, inflight: 0, taken: 1 });
  assert.equal(sent.at(-1), [1, 'c']);
  // Worker 0 says 3 in flight: still busy, d stays held.
  d.onReply(0, { type: LOAD, inflight: 3, taken: 1 });
  assert.is(d.pending, 1);
  d.onReply(0, { type: LOAD, inflight: 0, taken: 1 });
  assert.equal(sent.at(-1), [0, 'd']);
  assert.is(d.pending, 0);
});

test('a held connection waits at most holdMs, then goes to the fewest in flight', async () => {
  const sent: number[] = [];
  let third: () => void = () => {};
  const handedOver = new Promise<void>((r) => (third = r));
  const d = new Dispatcher(
    [0, 1].map((i) => ({
      id: i + 1,
      pid: 100 + i,
      send: (_m: unknown, _h: unknown, cb: (e: Error | null) => void) => {
        if (sent.push(i) === 3) third();
        cb(null);
      },
    })),
    createLeastRequests(30),
    never,
  );
  const conn = { close() {} };
  d.dispatch(conn);
  d.dispatch(conn);
  d.onReply(0, { type: LOAD, inflight: 5, taken: 1 });
  d.dispatch(conn);
  assert.equal(sent, [0, 1]);
  await within(handedOver, 2000, 'the held connection handed over when its 30 ms hold ran out');
  assert.equal(sent, [0, 1, 1], 'worker 1 has fewer in flight (1 against 5)');
});

/** A fake worker: an HTTP server, sockets and responses as plain emitters; deferred reports run on `tick()`. */
function fakeWorker() {
  const msgs: Array<{ inflight: number; taken: number }> = [];
  const server = new EventEmitter();
  let deferred: Array<() => void> = [];
  const tracker = trackRequests(
    server,
    (m) => {
      const { inflight, taken } = m as { inflight: number; taken: number };
      msgs.push({ inflight, taken });
    },
    (f) => void deferred.push(f),
  );
  return {
    msgs,
    take: () => {
      const socket = new EventEmitter();
      tracker.taken(socket);
      return socket;
    },
    request: (socket: EventEmitter) => {
      const res = new EventEmitter();
      server.emit('request', { socket }, res);
      return res;
    },
    tick: () => {
      const run = deferred;
      deferred = [];
      for (const f of run) f();
    },
  };
}

test('the worker side: a connection counts from the moment it is taken; its first request is not reported again, a keep-alive one is at once; ends once per tick', () => {
  const w = fakeWorker();
  const a = w.take();
  const first = w.request(a);
  assert.equal(w.msgs, [], 'first request: already counted when the connection was taken');
  first.emit('close');
  w.tick();
  assert.equal(w.msgs, [{ inflight: 0, taken: 1 }], 'its end, once the tick is over');
  const second = w.request(a);
  assert.equal(w.msgs.at(-1), { inflight: 1, taken: 1 }, 'a keep-alive request: at once');
  second.emit('close');
  w.tick();
  assert.equal(w.msgs.at(-1), { inflight: 0, taken: 1 });
  const idle = w.take();
  idle.emit('close');
  w.tick();
  assert.equal(w.msgs.at(-1), { inflight: 0, taken: 2 }, 'a connection that closes without a request ends too');
});

test('a connection taken in the tick in which another response ends is reported busy, not idle (its request is not parsed yet)', () => {
  const w = fakeWorker();
  const res = w.request(w.take());
  res.emit('close'); // the report of this end is deferred to the end of the tick ...
  w.take(); // ... and a new connection arrives in the same tick
  w.tick();
  assert.equal(w.msgs, [{ inflight: 1, taken: 2 }]);
  // The primary: requests = inflight + connections handed over and not yet received = 1 + 0: busy.
  const d = new Dispatcher([{ id: 1, pid: 1, send: () => {} }], createLeastRequests(), never);
  d.dispatch({ close() {} });
  d.dispatch({ close() {} });
  d.onReply(0, { type: LOAD, ...w.msgs[0] });
  assert.is(d.loads[0].requests, 1);
});

test.run();
