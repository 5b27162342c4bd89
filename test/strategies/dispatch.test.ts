// The dispatch mechanism with fake workers and fake connections: every send, ack and refusal is
// scripted, so each test states exactly where every connection goes and what the loads become.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ACCEPTED, CLOSED, CONN, Dispatcher, isWorkerReply, REFUSED, type DispatchTarget } from '../../strategies/dispatch.js';
import { createLeastConnections } from '../../strategies/least-connections.js';
import { createRandom } from '../../strategies/random.js';
import { seededRng } from '../../strategies/rng.js';
import type { Picker } from '../../strategies/types.js';

class FakeConn {
  destroyed = 0;
  constructor(readonly name: string) {}
  destroy(): void {
    this.destroyed++;
  }
}

interface Sent { worker: number; seq: number; conn: string }

/** Fake workers: record every send; `failSend` makes a worker's transport report an error. */
function rig(n: number, picker: Picker = createLeastConnections(), opts: { failSend?: Set<number>; rng?: () => number } = {}) {
  const sent: Sent[] = [];
  const targets: DispatchTarget<FakeConn>[] = Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    pid: 1000 + i,
    send(msg, conn, cb) {
      assert.is(msg.type, CONN);
      sent.push({ worker: i, seq: msg.seq, conn: conn.name });
      cb(opts.failSend?.has(i) ? new Error('channel closed') : null);
    },
  }));
  const d = new Dispatcher<FakeConn>(targets, picker, opts.rng ?? (() => 0));
  const loads = (): Array<[number, number]> => d.loads.map((l) => [l.active, l.served]);
  return { d, sent, loads };
}

/** A picker that always takes the first worker it is offered: shows which workers are offered. */
const first: Picker = { pick: () => 0 };

test('accepted: the worker gets seq 1, the primary destroys its own copy once, loads are [1 active, 1 served]', () => {
  const { d, sent, loads } = rig(2);
  const conn = new FakeConn('a');
  d.dispatch(conn);
  assert.equal(sent, [{ worker: 0, seq: 1, conn: 'a' }]);
  assert.is(conn.destroyed, 0, 'kept until the ack');
  assert.is(d.pending, 1);
  d.onReply(0, { type: ACCEPTED, seq: 1 });
  assert.is(conn.destroyed, 1);
  assert.is(d.pending, 0);
  assert.equal(loads(), [[1, 1], [0, 0]]);
  assert.equal(d.stats, { dispatched: 1, refused: 0, dropped: 0 });
});

test('least-connections through the dispatcher: 8 acked connections, none closed, go 0,1,2,3,0,1,2,3', () => {
  const { d, sent, loads } = rig(4);
  for (let i = 1; i <= 8; i++) {
    d.dispatch(new FakeConn(`c${i}`));
    d.onReply(sent[sent.length - 1].worker, { type: ACCEPTED, seq: i });
  }
  assert.equal(sent.map((s) => s.worker), [0, 1, 2, 3, 0, 1, 2, 3]);
  assert.equal(loads(), [[2, 2], [2, 2], [2, 2], [2, 2]]);
});

test('random through the dispatcher with seed 42 places connections exactly as the bare picker does', () => {
  const { d, sent } = rig(4, createRandom(), { rng: seededRng(42) });
  for (let i = 1; i <= 12; i++) d.dispatch(new FakeConn(`c${i}`));
  assert.equal(sent.map((s) => s.worker), [2, 1, 3, 2, 0, 2, 1, 2, 3, 1, 0, 3]);
});

test('refused: the connection goes to another worker under the same seq, loads corrected, counted', () => {
  const { d, sent, loads } = rig(2);
  const conn = new FakeConn('a');
  d.dispatch(conn);
  assert.equal(loads(), [[1, 1], [0, 0]]);
  d.onReply(0, { type: REFUSED, seq: 1 });
  assert.equal(sent, [{ worker: 0, seq: 1, conn: 'a' }, { worker: 1, seq: 1, conn: 'a' }]);
  assert.equal(loads(), [[0, 0], [1, 1]], 'the refuser is no longer charged for it');
  assert.is(conn.destroyed, 0, 'still ours until worker 1 acks');
  d.onReply(1, { type: ACCEPTED, seq: 1 });
  assert.is(conn.destroyed, 1);
  assert.equal(d.stats, { dispatched: 2, refused: 1, dropped: 0 });
});

test('a refuser is not offered the same connection again, even when the picker would choose it', () => {
  // `first` always takes the first candidate offered: 0, then (0 refused) 1, then (1 refused) 2.
  const { d, sent, loads } = rig(3, first);
  d.dispatch(new FakeConn('a'));
  d.onReply(0, { type: REFUSED, seq: 1 });
  d.onReply(1, { type: REFUSED, seq: 1 });
  assert.equal(sent.map((s) => s.worker), [0, 1, 2]);
  assert.equal(loads(), [[0, 0], [0, 0], [1, 1]]);
  // ...but the next connection may go to worker 0 again: refusals are per connection.
  d.dispatch(new FakeConn('b'));
  assert.equal(sent[3], { worker: 0, seq: 2, conn: 'b' });
});

test('everyone refuses: the connection is dropped, destroyed once, counted, and nobody is charged', () => {
  const { d, sent, loads } = rig(2);
  const conn = new FakeConn('a');
  d.dispatch(conn);
  d.onReply(0, { type: REFUSED, seq: 1 });
  d.onReply(1, { type: REFUSED, seq: 1 });
  assert.equal(sent.map((s) => s.worker), [0, 1]);
  assert.is(conn.destroyed, 1);
  assert.is(d.pending, 0);
  assert.equal(loads(), [[0, 0], [0, 0]]);
  assert.equal(d.stats, { dispatched: 2, refused: 2, dropped: 1 });
});

test('a send that fails in transport counts as a refusal: worker 0 cannot be reached, worker 1 gets everything', () => {
  const { d, sent, loads } = rig(2, createLeastConnections(), { failSend: new Set([0]) });
  const conns = [new FakeConn('a'), new FakeConn('b'), new FakeConn('c')];
  conns.forEach((c) => d.dispatch(c));
  assert.equal(sent.map((s) => `${s.conn}->${s.worker}`), ['a->0', 'a->1', 'b->0', 'b->1', 'c->0', 'c->1']);
  assert.equal(loads(), [[0, 0], [3, 3]]);
  assert.equal(d.stats, { dispatched: 6, refused: 3, dropped: 0 });
  assert.equal(conns.map((c) => c.destroyed), [0, 0, 0], 'not acked yet');
});

test('a transport error after the worker already acked changes nothing', () => {
  let later: ((err: Error | null) => void) | undefined;
  const target: DispatchTarget<FakeConn> = { id: 1, pid: 1000, send: (_m, _c, cb) => void (later = cb) };
  const d = new Dispatcher<FakeConn>([target], first, () => 0);
  const conn = new FakeConn('a');
  d.dispatch(conn);
  d.onReply(0, { type: ACCEPTED, seq: 1 });
  later?.(new Error('late'));
  assert.equal(d.stats, { dispatched: 1, refused: 0, dropped: 0 });
  assert.equal(d.loads.map((l) => [l.active, l.served]), [[1, 1]]);
  assert.is(conn.destroyed, 1);
});

test('remove(i): the un-acked connections of a worker that exited go to the others; acked ones stay', () => {
  const { d, sent, loads } = rig(2, first); // every connection is offered to worker 0 first
  const [a, b, c] = [new FakeConn('a'), new FakeConn('b'), new FakeConn('c')];
  d.dispatch(a);
  d.onReply(0, { type: ACCEPTED, seq: 1 }); // a is worker 0's now
  d.dispatch(b);
  d.dispatch(c); // b and c sent to worker 0, not acked
  assert.equal(loads(), [[3, 3], [0, 0]]);
  d.remove(0);
  assert.equal(sent.map((s) => `${s.conn}->${s.worker}`), ['a->0', 'b->0', 'c->0', 'b->1', 'c->1']);
  assert.equal(loads(), [[1, 1], [2, 2]], 'worker 0 keeps only the acked connection');
  assert.equal(d.stats, { dispatched: 5, refused: 0, dropped: 0 }, 'an exit is not a refusal');
  // a gone worker is never offered anything again, and its late acks are ignored
  d.onReply(0, { type: ACCEPTED, seq: 2 });
  assert.is(b.destroyed, 0);
  d.dispatch(new FakeConn('d'));
  assert.equal(sent[sent.length - 1], { worker: 1, seq: 4, conn: 'd' });
});

test('remove() of the only worker drops its un-acked connections; later ones are dropped at once', () => {
  const { d, sent } = rig(1);
  const [a, b] = [new FakeConn('a'), new FakeConn('b')];
  d.dispatch(a);
  d.remove(0);
  assert.is(a.destroyed, 1);
  d.dispatch(b);
  assert.is(b.destroyed, 1);
  assert.is(sent.length, 1);
  assert.equal(d.stats, { dispatched: 1, refused: 0, dropped: 2 });
});

test('CLOSED decrements active (not served), so least-connections sends the next connection to the emptier worker', () => {
  const { d, sent, loads } = rig(2);
  for (let i = 1; i <= 4; i++) {
    d.dispatch(new FakeConn(`c${i}`));
    d.onReply(sent[i - 1].worker, { type: ACCEPTED, seq: i });
  }
  assert.equal(loads(), [[2, 2], [2, 2]]);
  d.onReply(1, { type: CLOSED, seq: 2 });
  d.onReply(1, { type: CLOSED, seq: 4 });
  assert.equal(loads(), [[2, 2], [0, 2]]);
  d.dispatch(new FakeConn('c5'));
  d.dispatch(new FakeConn('c6'));
  assert.equal(sent.slice(4).map((s) => s.worker), [1, 1]);
  assert.equal(loads(), [[2, 2], [2, 4]]);
});

test('a reply for a seq the worker does not hold is ignored', () => {
  const { d, loads } = rig(2);
  const conn = new FakeConn('a');
  d.dispatch(conn); // seq 1 -> worker 0
  d.onReply(1, { type: ACCEPTED, seq: 1 });
  d.onReply(1, { type: REFUSED, seq: 1 });
  d.onReply(0, { type: ACCEPTED, seq: 99 });
  assert.is(conn.destroyed, 0);
  assert.is(d.pending, 1);
  assert.equal(loads(), [[1, 1], [0, 0]]);
  assert.equal(d.stats, { dispatched: 1, refused: 0, dropped: 0 });
});

const replyCases: Array<{ msg: unknown; expected: boolean }> = [
  { msg: { type: ACCEPTED, seq: 1 }, expected: true },
  { msg: { type: REFUSED, seq: 0 }, expected: true },
  { msg: { type: CLOSED, seq: 7 }, expected: true },
  { msg: { type: CONN, seq: 1 }, expected: false },
  { msg: { type: ACCEPTED, seq: '1' }, expected: false },
  { msg: { type: ACCEPTED }, expected: false },
  { msg: { cmd: 'NODE_CLUSTER', act: 'newconn' }, expected: false },
  { msg: null, expected: false },
  { msg: 'csb:accepted', expected: false },
];

test('isWorkerReply accepts only our three replies with a numeric seq', () => {
  assert.equal(replyCases.map((c) => isWorkerReply(c.msg)), replyCases.map((c) => c.expected));
});

test.run();
