// The worker side of the dispatch mechanism with fake handles and sockets: what it accepts, what it
// hands back while shutting down, and how close notices are batched (one message per tick).
import { EventEmitter } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CLOSED, CONN, REFUSED, type WorkerReply } from '../../../runner/cluster/dispatch.js';
import { createReceiver } from '../../../runner/cluster/dispatch-worker.js';

class FakeHandle {
  closed = 0;
  constructor(readonly name: string) {}
  close(): void {
    this.closed++;
  }
}

function worker(opts: { closing?: boolean; reportCloses?: boolean } = {}) {
  const sent: Array<{ msg: WorkerReply; handle?: string }> = [];
  const accepted: Array<{ handle: string; socket: EventEmitter }> = [];
  const deferred: Array<() => void> = [];
  const onMessage = createReceiver<FakeHandle, EventEmitter>({
    closing: () => opts.closing ?? false,
    reportCloses: opts.reportCloses ?? true,
    defer: (f) => void deferred.push(f),
    send: (msg, handle, cb) => {
      sent.push(handle ? { msg, handle: handle.name } : { msg });
      cb(null);
    },
    accept: (handle) => {
      const socket = new EventEmitter();
      accepted.push({ handle: handle.name, socket });
      return socket;
    },
  });
  const tick = (): void => {
    for (const f of deferred.splice(0)) f();
  };
  return { onMessage, sent, accepted, tick };
}

test('a connection is accepted without any reply: no ack message per connection', () => {
  const w = worker();
  const h = new FakeHandle('a');
  w.onMessage({ type: CONN }, h);
  assert.equal(
    w.accepted.map((a) => a.handle),
    ['a'],
  );
  assert.equal(w.sent, []);
  assert.is(h.closed, 0, 'the socket owns it now');
});

test('closes in one tick are reported as one CLOSED{n}; a later close starts a new batch', () => {
  const w = worker();
  for (const n of ['a', 'b', 'c']) w.onMessage({ type: CONN }, new FakeHandle(n));
  for (const a of w.accepted) a.socket.emit('close');
  assert.equal(w.sent, [], 'not before the tick ends');
  w.tick();
  assert.equal(w.sent, [{ msg: { type: CLOSED, n: 3 } }]);
  w.onMessage({ type: CONN }, new FakeHandle('d'));
  w.accepted[3].socket.emit('close');
  w.tick();
  assert.equal(
    w.sent.map((s) => s.msg),
    [
      { type: CLOSED, n: 3 },
      { type: CLOSED, n: 1 },
    ],
  );
});

test('without reportCloses (random), closes send nothing at all', () => {
  const w = worker({ reportCloses: false });
  w.onMessage({ type: CONN }, new FakeHandle('a'));
  w.accepted[0].socket.emit('close');
  w.tick();
  assert.equal(w.sent, []);
});

test('shutting down: the raw handle goes back with REFUSED (tried echoed), unread and unwrapped, and our copy is closed once sent', () => {
  const w = worker({ closing: true });
  const [a, b] = [new FakeHandle('a'), new FakeHandle('b')];
  w.onMessage({ type: CONN }, a);
  w.onMessage({ type: CONN, tried: [1] }, b);
  assert.equal(w.accepted, [], 'never wrapped in a socket, so nothing read from it');
  assert.equal(w.sent, [
    { msg: { type: REFUSED }, handle: 'a' },
    { msg: { type: REFUSED, tried: [1] }, handle: 'b' },
  ]);
  assert.equal([a.closed, b.closed], [1, 1]);
});

test('a CONN that arrived without its handle is refused without one; other messages are ignored', () => {
  const w = worker();
  w.onMessage({ type: CONN }, undefined);
  w.onMessage({ type: 'csb:snapshot', id: 1 }, undefined);
  w.onMessage(null, undefined);
  assert.equal(w.sent, [{ msg: { type: REFUSED } }]);
  assert.equal(w.accepted, []);
});

test.run();
