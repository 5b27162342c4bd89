// The dispatch mechanism with fake workers and fake connections: every send, write and refusal is
// scripted, so each test states exactly where every connection goes and what the loads become.
// Protocol: one CONN (with the handle) per connection; the primary closes its copy once the
// transport has written it; a refusing worker hands the handle back (REFUSED); CLOSED{n} batches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CLOSED,
  CONN,
  type ConnMessage,
  Dispatcher,
  type DispatchTarget,
  isWorkerReply,
  REFUSED,
} from '../../../runner/cluster/dispatch.js';
import { createLeastConnections } from '../../../strategies/least-connections.js';
import { createRandom } from '../../../strategies/random.js';
import { seededRng } from '../../../strategies/rng.js';
import type { Picker } from '../../../strategies/types.js';

class FakeConn {
  closed = 0;
  constructor(readonly name: string) {}
  close(): void {
    this.closed++;
  }
}

interface Sent {
  worker: number;
  conn: string;
  tried?: number[];
}

/**
 * Fake workers. By default the transport "writes" each handle at once (cb(null)); `manual` keeps
 * the callbacks so a test decides when each write completes; `failSend` makes a worker unreachable.
 */
function rig(
  n: number,
  picker: Picker = createLeastConnections(),
  opts: { failSend?: Set<number>; manual?: boolean; rng?: () => number } = {},
) {
  const sent: Sent[] = [];
  const writes: Array<(err: Error | null) => void> = [];
  const targets: DispatchTarget<FakeConn>[] = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    pid: 1000 + i,
    send(msg: ConnMessage, conn, cb) {
      assert.is(msg.type, CONN);
      sent.push(msg.tried ? { worker: i, conn: conn.name, tried: msg.tried } : { worker: i, conn: conn.name });
      if (opts.failSend?.has(i)) cb(new Error('channel closed'));
      else if (opts.manual) writes.push(cb);
      else cb(null);
    },
  }));
  const d = new Dispatcher<FakeConn>(targets, picker, opts.rng ?? (() => 0));
  const loads = (): Array<[number, number]> => d.loads.map((l) => [l.active, l.served]);
  return { d, sent, loads, writes };
}

/** A picker that always takes the first worker it is offered: shows which workers are offered. */
const first: Picker = { pick: () => 0 };

test('one message per connection: the worker gets CONN, the primary closes its copy once written', () => {
  const { d, sent, loads, writes } = rig(2, createLeastConnections(), { manual: true });
  const conn = new FakeConn('a');
  d.dispatch(conn);
  assert.equal(sent, [{ worker: 0, conn: 'a' }]);
  assert.is(conn.closed, 0, 'kept until the transport has written it');
  assert.is(d.pending, 1);
  writes[0](null);
  assert.is(conn.closed, 1);
  assert.is(d.pending, 0);
  assert.equal(loads(), [
    [1, 1],
    [0, 0],
  ]);
  assert.equal(d.stats, { dispatched: 1, refused: 0, dropped: 0 });
});

test('least-connections through the dispatcher: 8 connections, none closed, go 0,1,2,3,0,1,2,3', () => {
  const { d, sent, loads } = rig(4);
  for (let i = 1; i <= 8; i++) d.dispatch(new FakeConn(`c${i}`));
  assert.equal(
    sent.map((s) => s.worker),
    [0, 1, 2, 3, 0, 1, 2, 3],
  );
  assert.equal(loads(), [
    [2, 2],
    [2, 2],
    [2, 2],
    [2, 2],
  ]);
});

test('random through the dispatcher with seed 42 places connections exactly as the bare picker does', () => {
  const { d, sent } = rig(4, createRandom(), { rng: seededRng(42) });
  for (let i = 1; i <= 12; i++) d.dispatch(new FakeConn(`c${i}`));
  const bare = createRandom();
  const rng = seededRng(42);
  const expected = Array.from({ length: 12 }, () => bare.pick(d.loads, rng));
  assert.equal(
    sent.map((s) => s.worker),
    expected,
  );
  assert.equal(expected, [2, 1, 3, 2, 0, 2, 1, 2, 3, 1, 0, 3]);
});

test('lanes: a worker has one handle with the transport at a time; the rest wait in order, picked already', () => {
  const { d, sent, loads, writes } = rig(1, first, { manual: true });
  const conns = ['a', 'b', 'c'].map((n) => new FakeConn(n));
  for (const c of conns) d.dispatch(c);
  assert.equal(
    sent.map((s) => s.conn),
    ['a'],
    'b and c wait for a to be written',
  );
  assert.equal(loads(), [[3, 3]], 'charged at pick time');
  assert.is(d.pending, 3);
  writes[0](null);
  assert.equal(
    sent.map((s) => s.conn),
    ['a', 'b'],
  );
  writes[1](null);
  writes[2](null);
  assert.equal(
    sent.map((s) => s.conn),
    ['a', 'b', 'c'],
  );
  assert.equal(
    conns.map((c) => c.closed),
    [1, 1, 1],
  );
  assert.is(d.pending, 0);
});

test('refused: the worker hands the handle back; it goes to another worker with tried=[0], loads corrected, counted', () => {
  const { d, sent, loads } = rig(2);
  const conn = new FakeConn('a');
  d.dispatch(conn);
  assert.equal(loads(), [
    [1, 1],
    [0, 0],
  ]);
  d.onReply(0, { type: REFUSED }, conn);
  assert.equal(sent, [
    { worker: 0, conn: 'a' },
    { worker: 1, conn: 'a', tried: [0] },
  ]);
  assert.equal(
    loads(),
    [
      [0, 0],
      [1, 1],
    ],
    'the refuser is no longer charged for it',
  );
  assert.is(conn.closed, 2, 'each copy closed once written (the fake reuses one object for both copies)');
  assert.equal(d.stats, { dispatched: 1, refused: 1, dropped: 0 });
});

test('a refuser is not offered the same connection again, even when the picker would choose it', () => {
  // `first` always takes the first candidate offered: 0, then (0 refused) 1, then (1 refused) 2.
  const { d, sent, loads } = rig(3, first);
  const a = new FakeConn('a');
  d.dispatch(a);
  d.onReply(0, { type: REFUSED }, a);
  d.onReply(1, { type: REFUSED, tried: [0] }, a);
  assert.equal(sent, [
    { worker: 0, conn: 'a' },
    { worker: 1, conn: 'a', tried: [0] },
    { worker: 2, conn: 'a', tried: [0, 1] },
  ]);
  assert.equal(loads(), [
    [0, 0],
    [0, 0],
    [1, 1],
  ]);
  // ...but the next connection may go to worker 0 again: refusals are per connection.
  d.dispatch(new FakeConn('b'));
  assert.equal(sent[3], { worker: 0, conn: 'b' });
});

test('everyone refuses: the connection is dropped, closed, counted, and nobody is charged', () => {
  const { d, sent, loads } = rig(2);
  const conn = new FakeConn('a'); // one object stands for every copy of the connection
  d.dispatch(conn);
  d.onReply(0, { type: REFUSED }, conn);
  d.onReply(1, { type: REFUSED, tried: [0] }, conn);
  assert.equal(
    sent.map((s) => s.worker),
    [0, 1],
  );
  assert.is(conn.closed, 3, 'two copies closed once written, the last handed-back one by the drop');
  assert.equal(loads(), [
    [0, 0],
    [0, 0],
  ]);
  assert.equal(d.stats, { dispatched: 0, refused: 2, dropped: 1 });
});

test('a refusal that could not hand the handle back is counted as dropped, and the refuser is not charged', () => {
  const { d, loads } = rig(2);
  d.dispatch(new FakeConn('a'));
  d.onReply(0, { type: REFUSED });
  assert.equal(loads(), [
    [0, 0],
    [0, 0],
  ]);
  assert.equal(d.stats, { dispatched: 0, refused: 0, dropped: 1 });
});

test('a send that fails in transport (not written): worker 0 cannot be reached, worker 1 gets everything', () => {
  const { d, sent, loads } = rig(2, createLeastConnections(), { failSend: new Set([0]) });
  const conns = [new FakeConn('a'), new FakeConn('b'), new FakeConn('c')];
  for (const c of conns) d.dispatch(c);
  assert.equal(
    sent.map((s) => `${s.conn}->${s.worker}`),
    ['a->0', 'a->1', 'b->0', 'b->1', 'c->0', 'c->1'],
  );
  assert.equal(loads(), [
    [0, 0],
    [3, 3],
  ]);
  assert.equal(d.stats, { dispatched: 3, refused: 0, dropped: 0 }, 'a transport failure is not a refusal');
  assert.equal(
    conns.map((c) => c.closed),
    [1, 1, 1],
    'closed once, after worker 1 got it',
  );
});

test('remove(i): what was not written to a worker that exited goes to the others; written ones stay', () => {
  const { d, sent, loads, writes } = rig(2, first, { manual: true }); // every connection is offered to worker 0 first
  const [a, b, c] = [new FakeConn('a'), new FakeConn('b'), new FakeConn('c')];
  d.dispatch(a);
  writes[0](null); // a is worker 0's now
  d.dispatch(b); // with the transport
  d.dispatch(c); // waiting in worker 0's lane
  assert.equal(loads(), [
    [3, 3],
    [0, 0],
  ]);
  d.remove(0);
  assert.equal(
    sent.map((s) => `${s.conn}->${s.worker}`),
    ['a->0', 'b->0', 'b->1'],
    'in their order: b first, c waits in lane 1',
  );
  writes[1](new Error('channel closed')); // the late callback for b's send to worker 0 changes nothing...
  assert.equal(
    loads(),
    [
      [1, 1],
      [2, 2],
    ],
    'worker 0 keeps only the written connection',
  );
  writes[2](null); // b written to worker 1; c, next in worker 1's lane, goes now
  assert.equal(
    sent.map((s) => `${s.conn}->${s.worker}`),
    ['a->0', 'b->0', 'b->1', 'c->1'],
  );
  assert.equal([b.closed, c.closed], [1, 0]);
  assert.equal(d.stats, { dispatched: 3, refused: 0, dropped: 0 }, 'an exit is not a refusal, and b counts once, at worker 1');
  // a gone worker is never offered anything again
  d.dispatch(new FakeConn('d'));
  writes[3](null);
  assert.equal(sent[sent.length - 1], { worker: 1, conn: 'd' });
});

test('retire(i) (a worker leaving gracefully): the connection with the transport is not sent elsewhere too; handed back, it goes on once', () => {
  const { d, sent, writes } = rig(2, first, { manual: true });
  const [a, b] = [new FakeConn('a'), new FakeConn('b')];
  d.dispatch(a); // with the transport to worker 0
  d.dispatch(b); // waiting in worker 0's lane
  d.retire(0);
  assert.equal(
    sent.map((s) => `${s.conn}->${s.worker}`),
    ['a->0', 'b->1'],
    'b moves; a stays with the transport',
  );
  writes[0](null); // a was written to worker 0 ...
  d.onReply(0, { type: REFUSED }, a); // ... which is closing and hands it back
  writes[1](null);
  writes[2](null);
  assert.equal(
    sent.map((s) => `${s.conn}->${s.worker}`),
    ['a->0', 'b->1', 'a->1'],
    'a reaches worker 1 once',
  );
  assert.equal(d.stats, { dispatched: 2, refused: 1, dropped: 0 }, 'two connections, each dispatched once');
  assert.equal(
    d.loads.map((l) => [l.active, l.served]),
    [
      [0, 0],
      [2, 2],
    ],
    'each connection counted once, where it went',
  );
});

test('remove() of the only worker drops what was not written; later connections are dropped at once', () => {
  const { d, sent } = rig(1, first, { manual: true });
  const [a, b] = [new FakeConn('a'), new FakeConn('b')];
  d.dispatch(a);
  d.remove(0);
  assert.is(a.closed, 1);
  d.dispatch(b);
  assert.is(b.closed, 1);
  assert.is(sent.length, 1);
  assert.equal(d.stats, { dispatched: 0, refused: 0, dropped: 2 });
});

test('CLOSED{n} decrements active (not served) by n, so least-connections sends the next connections to the emptier worker', () => {
  const { d, sent, loads } = rig(2);
  for (let i = 1; i <= 4; i++) d.dispatch(new FakeConn(`c${i}`));
  assert.equal(loads(), [
    [2, 2],
    [2, 2],
  ]);
  d.onReply(1, { type: CLOSED, n: 2 });
  assert.equal(loads(), [
    [2, 2],
    [0, 2],
  ]);
  d.dispatch(new FakeConn('c5'));
  d.dispatch(new FakeConn('c6'));
  assert.equal(
    sent.slice(4).map((s) => s.worker),
    [1, 1],
  );
  assert.equal(loads(), [
    [2, 2],
    [2, 4],
  ]);
});

const replyCases: Array<{ msg: unknown; expected: boolean }> = [
  { msg: { type: REFUSED }, expected: true },
  { msg: { type: REFUSED, tried: [0] }, expected: true },
  { msg: { type: CLOSED, n: 3 }, expected: true },
  { msg: { type: CLOSED }, expected: false },
  { msg: { type: CLOSED, n: '3' }, expected: false },
  { msg: { type: CONN }, expected: false },
  { msg: { type: 'csb:accepted', seq: 1 }, expected: false },
  { msg: { cmd: 'NODE_CLUSTER', act: 'newconn' }, expected: false },
  { msg: null, expected: false },
  { msg: 'csb:refused', expected: false },
];

test('isWorkerReply accepts only REFUSED and CLOSED with a numeric n', () => {
  assert.equal(
    replyCases.map((c) => isWorkerReply(c.msg)),
    replyCases.map((c) => c.expected),
  );
});

test('a worker that joins (a replacement, --respawn) takes connections from then on; the gone one none; remove twice is once', () => {
  const { d, sent } = rig(2);
  d.remove(0);
  d.remove(0);
  const index = d.add({
    id: 3,
    pid: 1002,
    send(_msg, _conn, cb) {
      sent.push({ worker: 2, conn: _conn.name });
      cb(null);
    },
  });
  assert.is(index, 2);
  for (const name of ['a', 'b', 'c', 'd']) d.dispatch(new FakeConn(name));
  assert.equal(
    sent.map((x) => x.worker),
    [1, 2, 1, 2],
    'least-connections over workers 1 and the newcomer, never the gone worker 0',
  );
  assert.equal(d.loads[2], { id: 3, pid: 1002, active: 2, served: 2, requests: 2 });
});

test.run();
