// The dispatch mechanism for real: this process plays the primary with the primary's own transport
// (runner/cluster/dispatch-primary.ts: raw handles accepted and sent over IPC), and forked children
// run the real worker side (test/fixtures/dispatch-child.ts). One child refuses everything.
import { type ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { get } from 'node:http';
import type { Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Closable, Dispatcher } from '../../../../runner/cluster/dispatch.js';
import { listenDispatch } from '../../../../runner/cluster/dispatch-primary.js';
import type { Counters } from '../../../../servers/types.js';
import type { Picker } from '../../../../strategies/types.js';
import { until } from '../../../helpers/wait.js';

const CHILD = fileURLToPath(new URL('../../../fixtures/dispatch-child.js', import.meta.url));
/** Always the first worker offered: every connection tries the refuser (index 0) first. */
const first: Picker = { pick: () => 0 };

interface Rig {
  d: Dispatcher<Closable>;
  server: Server;
  port: number;
  children: ChildProcess[];
}
const rigs: Rig[] = [];

async function startRig(refuse: boolean[]): Promise<Rig> {
  const children = refuse.map((r) =>
    fork(CHILD, [], { env: { ...process.env, CSB_REFUSE: r ? '1' : '0' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  await Promise.all(children.map((c) => once(c, 'message')));
  const l = await listenDispatch(
    children.map((proc, i) => ({ id: i + 1, proc })),
    first,
    () => 0,
    { host: '127.0.0.1', port: 0, backlog: 511 },
  );
  const rig: Rig = { d: l.dispatcher, server: l.server, port: l.port, children };
  rigs.push(rig);
  return rig;
}

async function stopRig(rig: Rig): Promise<void> {
  await new Promise<void>((r) => rig.server.close(() => r()));
  await Promise.all(
    rig.children.map(async (c) => {
      if (c.exitCode !== null || c.signalCode !== null) return;
      const exited = once(c, 'exit');
      c.disconnect();
      await exited;
    }),
  );
}

test.after(async () => {
  await Promise.all(rigs.map(stopRig));
});

function request(port: number): Promise<{ status: number; pid: string; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (body += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, pid: String(res.headers['x-worker-pid']), body }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

const counters = async (c: ChildProcess): Promise<Counters> => {
  c.send('counters');
  const [m] = (await once(c, 'message', { signal: AbortSignal.timeout(5000) })) as [{ counters: Counters }];
  return m.counters;
};

test('a worker that refuses: all 10 connections are re-dispatched and served by the other worker', async () => {
  const rig = await startRig([true, false]);
  const [refuser, taker] = rig.children;
  const results = await Promise.all(Array.from({ length: 10 }, () => request(rig.port)));
  assert.equal(results, Array(10).fill({ status: 200, pid: String(taker.pid), body: 'hello\n' }));
  assert.equal(rig.d.stats, { dispatched: 10, refused: 10, dropped: 0 });
  // Each connection closes after its response; the taker reports it and its load drops to 0.
  await until(() => rig.d.loads[1].active === 0, 'CLOSED for every connection');
  assert.equal(
    rig.d.loads.map((l) => [l.active, l.served]),
    [
      [0, 0],
      [0, 10],
    ],
  );
  assert.is(rig.d.pending, 0);
  assert.equal(await counters(refuser), { requests: 0, connections: 0 });
  assert.equal(await counters(taker), { requests: 10, connections: 10 });
});

test('when every worker refuses, the client sees a reset and the dispatcher counts the drop', async () => {
  const rig = await startRig([true]);
  const results = await Promise.all(Array.from({ length: 3 }, () => request(rig.port)));
  assert.equal(results, Array(3).fill({ error: 'ECONNRESET' }));
  assert.equal(rig.d.stats, { dispatched: 0, refused: 3, dropped: 3 });
  assert.equal(
    rig.d.loads.map((l) => [l.active, l.served]),
    [[0, 0]],
  );
  assert.equal(await counters(rig.children[0]), { requests: 0, connections: 0 });
});

test('a worker that exits: connections go to the one left (listenDispatch calls remove() on exit)', async () => {
  const rig = await startRig([false, false]);
  const [gone, left] = rig.children;
  const exited = once(gone, 'exit');
  gone.disconnect();
  await exited;
  const results = await Promise.all(Array.from({ length: 4 }, () => request(rig.port)));
  assert.equal(results, Array(4).fill({ status: 200, pid: String(left.pid), body: 'hello\n' }));
  assert.equal(rig.d.stats, { dispatched: 4, refused: 0, dropped: 0 });
});

test.run();
