// The kind table as a specification: what each kind asks of its workers before the first fork,
// what its worker side says once it takes connections, and (userland dispatch) that remove() and
// add() reach the right worker. Real sockets on port 0; no cluster is forked here (the CLI tests
// run every kind for real).
import cluster from 'node:cluster';
import { EventEmitter, once } from 'node:events';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { STRATEGY_KINDS } from '../../../../format/schema.js';
import { clusterFork, plainFork, type Worker } from '../../../../runner/cluster/forks.js';
import { KINDS, primarySide } from '../../../../runner/cluster/kinds/index.js';
import type { WorkerContext } from '../../../../runner/cluster/kinds/kind.js';
import type { ClusterConfig, WorkerConfig, WorkerToPrimary } from '../../../../runner/cluster/protocol.js';
import { STRATEGIES, type StrategyName } from '../../../../strategies/registry.js';
import type { StrategyDef, UserStrategy } from '../../../../strategies/types.js';

const config: ClusterConfig = {
  strategy: 'rr',
  workers: 2,
  server: 'http',
  host: '127.0.0.1',
  port: 0,
  backlog: 511,
  seed: 1,
  work: { kind: 'hello' },
  instrument: true,
};

const user: UserStrategy = {
  ...STRATEGIES['least-connections'],
  kind: 'user',
  needsCloses: false,
  file: '/x/mine.js',
  sha256: '0'.repeat(64),
} as UserStrategy;

const sideOf = (def: StrategyDef, c: ClusterConfig = config) => primarySide(def.kind, def, c);

test('every kind a strategy can have has an entry; dispatch and user are one kind object', () => {
  assert.equal(Object.keys(KINDS).sort(), STRATEGY_KINDS.filter((k) => k !== 'target').sort());
  assert.is(KINDS.user, KINDS.dispatch);
});

const NEEDS: Array<{ strategy: StrategyName | 'user'; policy: number; fork: unknown; canAdd: boolean; options: unknown }> = [
  { strategy: 'rr', policy: cluster.SCHED_RR, fork: clusterFork, canAdd: true, options: undefined },
  { strategy: 'none', policy: cluster.SCHED_NONE, fork: clusterFork, canAdd: true, options: undefined },
  { strategy: 'reuseport', policy: cluster.SCHED_NONE, fork: clusterFork, canAdd: true, options: undefined },
  {
    strategy: 'least-connections',
    policy: cluster.SCHED_NONE,
    fork: clusterFork,
    canAdd: true,
    options: { reportCloses: true, reportRequests: false },
  },
  {
    strategy: 'least-requests',
    policy: cluster.SCHED_NONE,
    fork: clusterFork,
    canAdd: true,
    options: { reportCloses: false, reportRequests: true },
  },
  {
    strategy: 'sticky',
    policy: cluster.SCHED_NONE,
    fork: clusterFork,
    canAdd: true,
    options: { reportCloses: false, reportRequests: false },
  },
  {
    strategy: 'user',
    policy: cluster.SCHED_NONE,
    fork: clusterFork,
    canAdd: true,
    options: { reportCloses: false, reportRequests: false },
  },
  { strategy: 'proxy', policy: cluster.SCHED_NONE, fork: clusterFork, canAdd: true, options: undefined },
  { strategy: 'shared-handle', policy: cluster.SCHED_NONE, fork: plainFork, canAdd: false, options: undefined },
];

for (const n of NEEDS) {
  test(`${n.strategy}: what its workers need before the first fork`, async () => {
    const side = await sideOf(n.strategy === 'user' ? user : STRATEGIES[n.strategy]);
    assert.is(side.policy ?? cluster.SCHED_NONE, n.policy, 'scheduling policy');
    assert.is(side.fork ?? clusterFork, n.fork, 'fork');
    assert.is(side.canAdd, n.canAdd, 'a replacement can join');
    assert.equal(side.options, n.options, 'worker options');
  });
}

test('reuseport: a port is picked before the fork when none is given (each worker binds it); a given one is kept', async () => {
  const picked = (await sideOf(STRATEGIES.reuseport)).port ?? 0;
  assert.ok(picked > 0, `picked ${picked}`);
  assert.is((await sideOf(STRATEGIES.reuseport, { ...config, port: 4321 })).port, 4321);
  assert.is((await sideOf(STRATEGIES.rr)).port, undefined, 'the others are told the configured port');
});

/** A worker side run against a real server in this process; resolves with its first message. */
async function workerSays(
  strategy: StrategyName,
  port: number,
): Promise<{ said: WorkerToPrimary; server: ReturnType<typeof createHttpServer> }> {
  const server = createHttpServer();
  const def = STRATEGIES[strategy];
  const side = await sideOf(def, { ...config, port });
  const wc: WorkerConfig = { ...config, port: side.port ?? port, kind: def.kind, options: side.options };
  const said = new Promise<WorkerToPrimary>((resolve) => {
    const ctx: WorkerContext = { server, config: wc, options: wc.options, closing: () => false, send: resolve };
    KINDS[def.kind].worker(ctx);
  });
  return { said: await said, server };
}

const bound = (s: { address(): unknown }): number => (s.address() as { port: number }).port;

test('native and proxy worker sides: csb:ready with the port they bound (proxy: one of its own, whatever the cluster port)', async () => {
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  try {
    const native = await workerSays('rr', 0);
    assert.equal(native.said, { type: 'csb:ready', port: bound(native.server) });
    native.server.close();
    const proxy = await workerSays('proxy', bound(taken));
    assert.equal(proxy.said, { type: 'csb:ready', port: bound(proxy.server) });
    assert.is.not(bound(proxy.server), bound(taken));
    proxy.server.close();
  } finally {
    taken.close();
  }
});

test('a worker side that cannot listen says csb:fatal (the primary fails its start with it)', async () => {
  const taken = createServer().listen(0, '127.0.0.1');
  await once(taken, 'listening');
  try {
    const { said } = await workerSays('none', bound(taken));
    assert.is(said.type, 'csb:fatal');
    assert.match((said as { message: string }).message, 'EADDRINUSE');
  } finally {
    taken.close();
  }
});

/** A worker as the dispatcher's transport sees it: takes every handle it is sent, records which worker got it. */
function fakeWorker(id: number, got: number[]): Worker {
  const proc = Object.assign(new EventEmitter(), {
    pid: 1000 + id,
    connected: true,
    send: (_m: unknown, _h: unknown, cb: (err: Error | null) => void) => {
      got.push(id);
      cb(null);
      return true;
    },
  });
  return Object.assign(new EventEmitter(), { id, process: proc, isDead: () => false, isConnected: () => true }) as unknown as Worker;
}

async function connectOnce(port: number): Promise<void> {
  const c = connect({ host: '127.0.0.1', port });
  await once(c, 'connect');
  c.destroy();
}

test('dispatch: remove() stops picking that worker, add() picks a replacement, by the worker and not by its place in a list', async () => {
  const got: number[] = [];
  const [w1, w2, w3] = [1, 2, 3].map((id) => fakeWorker(id, got));
  const side = await sideOf(STRATEGIES['least-connections']);
  assert.is(side.stats?.(), undefined, 'no stats before it listens');
  const port = await side.listen([w1, w2], async () => 0);
  const settle = async (n: number): Promise<void> => {
    for (let i = 0; i < 100 && got.length < n; i++) await new Promise((r) => setTimeout(r, 10));
  };
  try {
    side.remove?.(w1);
    await connectOnce(port);
    await settle(1);
    side.add?.(w3, 0);
    side.remove?.(w2);
    await connectOnce(port);
    await settle(2);
    assert.equal(got, [2, 3]);
    assert.equal(side.stats?.(), { dispatched: 2, refused: 0, dropped: 0 });
  } finally {
    side.close?.();
  }
});

test.run();
