// The simulator's loads and mechanisms, each against what it must do by construction: every
// request of a closed loop answered, keep-alive placing only its connections, sticky following the
// hash of the client address, the load generator and the primary taking their share of the cores,
// core rr's acknowledgement keeping a busy worker off its free list.
import { fileURLToPath, pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type SimLoad, type SimOptions, simulate } from '../../sim/engine.js';
import { placementOf } from '../../sim/placement.js';
import type { StrategyName } from '../../strategies/registry.js';
import { fnv1a } from '../../strategies/sticky.js';
import type { UserStrategy } from '../../strategies/types.js';

const BASE = { service: 'exp', serviceMs: 1, seed: 7, primaryMs: 0, ipcMs: 0.05, reportMs: 0.2 } as const;
const sim = (strategy: StrategyName, workers: number, load: SimLoad, more: Partial<SimOptions> = {}) =>
  simulate({ ...BASE, workers, load, placement: placementOf(strategy), ...more });
const sum = (xs: readonly number[]): number => xs.reduce((a, x) => a + x, 0);

test('burst: every round answered in full, the next round after the last answer; rr spreads each round evenly', () => {
  const r = sim('rr', 4, { kind: 'burst', connections: 100, rounds: 5 });
  assert.is(r.requests, 500);
  assert.equal(
    r.rounds.map((x) => sum(x)),
    [100, 100, 100, 100, 100],
  );
  assert.equal(r.connections, r.served, 'one request per connection');
  for (const round of r.rounds) assert.ok(Math.max(...round) - Math.min(...round) <= 25, `round ${round}`);
});

test('sustained: only the C keep-alive connections are placed; their requests follow them', () => {
  const r = sim('least-connections', 4, { kind: 'sustained', connections: 8, durationMs: 200 });
  assert.is(sum(r.connections), 8);
  assert.ok(r.requests > 8 * 20, `${r.requests} requests`);
  // least-connections with 8 connections on 4 idle workers: two each.
  assert.equal(r.connections, [2, 2, 2, 2]);
});

test('churn: a fresh connection per request, C at a time, for the duration', () => {
  const r = sim('p2c', 4, { kind: 'churn', connections: 10, durationMs: 300 });
  assert.equal(r.connections, r.served);
  assert.ok(r.requests > 300, `${r.requests}`);
});

test('open on the fixed schedule: exactly rate x duration requests, latency from the scheduled time', () => {
  const r = sim('random', 2, { kind: 'open', arrivals: 'fixed', rate: 0.5, requests: 1000, warmup: 0 });
  assert.is(r.requests, 1000);
  assert.ok(Math.abs(r.spanMs - 2000) < 50, `span ${r.spanMs}`);
});

test('sticky hashes the client address: one address, one worker; four addresses, the workers their hashes pick', () => {
  const load: SimLoad = { kind: 'burst', connections: 40, rounds: 2 };
  const one = sim('sticky', 4, load);
  assert.is(Math.max(...one.served), 80);
  const four = sim('sticky', 4, load, { clientAddrs: 4 });
  const expected = [0, 0, 0, 0];
  for (let k = 0; k < 40; k++) expected[fnv1a(`127.0.0.${(k % 4) + 1}`) % 4] += 2;
  assert.equal(four.served, expected);
});

test('the load generator shares the cores: its CPU per request stretches every response when cores are short', () => {
  const load: SimLoad = { kind: 'open', arrivals: 'fixed', rate: 0.5, requests: 3000, warmup: 0 };
  const spare = sim('rr', 2, load, { clientMs: 0.4, cores: 4, burn: 'cpu' });
  const tight = sim('rr', 2, load, { clientMs: 0.4, cores: 1.2, burn: 'cpu' });
  // 0.5 of the workers' core and 0.2 of the generator's on 1.2 cores, against a core each: about +20% here.
  assert.ok(tight.meanMs > spare.meanMs * 1.1, `${tight.meanMs} vs ${spare.meanMs}`);
  assert.ok(Math.abs(spare.cpuMs.client - 3000 * 0.4) < 1e-6, `client CPU ${spare.cpuMs.client}`);
});

test('the servers burn wall time: on one core, four workers each given a 10 ms burn overlap their burns; CPU work would queue to 40 ms', () => {
  const load: SimLoad = { kind: 'burst', connections: 4, rounds: 1 };
  const wall = sim('rr', 4, load, { service: 'fixed', serviceMs: 10, cores: 1 });
  const cpu = sim('rr', 4, load, { service: 'fixed', serviceMs: 10, cores: 1, burn: 'cpu' });
  // Each burn ends 10 ms after it starts; a worker reads its hand-over only when it gets the core, a 1.5 ms slice
  // at a time behind the spinning ones, so the last starts at most three slices late.
  assert.ok(wall.maxMs >= 10 && wall.maxMs <= 10 + 3 * 1.5 + 0.1, `wall burn: slowest ${wall.maxMs} ms`);
  assert.ok(cpu.maxMs > 39.9, `CPU work: slowest ${cpu.maxMs} ms`);
  // The spinning workers kept the one core busy from the first hand-over to the last answer, and no longer.
  assert.ok(Math.abs(wall.cpuMs.workers - wall.maxMs) < 0.2, `CPU received ${wall.cpuMs.workers} over ${wall.maxMs} ms`);
});

test('io work waits on a timer: one worker answers ten concurrent 10 ms waits in about 10 ms, not 100', () => {
  const r = sim('rr', 1, { kind: 'burst', connections: 10, rounds: 1 }, { service: 'io', serviceMs: 10, overheadMs: 0.1, ipcMs: 0 });
  assert.is(r.requests, 10);
  assert.ok(r.maxMs >= 10 && r.maxMs < 10 + 10 * 0.1 + 0.01, `slowest ${r.maxMs} ms`);
  assert.ok(Math.abs(r.cpuMs.workers - 1) < 1e-6, `CPU ${r.cpuMs.workers} ms: the overhead only`);
});

test("the proxy's primary cost: half on the way in, half on the way back; the same CPU per connection as rr's", () => {
  // One connection a round: no queue anywhere, so the latency is the primary's whole cost plus the service either way.
  const load: SimLoad = { kind: 'burst', connections: 1, rounds: 20 };
  const more = { primaryMs: 2, service: 'fixed', serviceMs: 5, ipcMs: 0 } as const;
  const proxy = sim('proxy', 2, load, more);
  const rr = sim('rr', 2, load, more);
  assert.ok(
    Math.abs(proxy.cpuMs.primary - 20 * 2) < 1e-6 && Math.abs(rr.cpuMs.primary - 20 * 2) < 1e-6,
    `${proxy.cpuMs.primary} ${rr.cpuMs.primary}`,
  );
  assert.ok(Math.abs(proxy.maxMs - 7) < 0.01 && Math.abs(rr.maxMs - 7) < 0.01, `${proxy.maxMs} ${rr.maxMs}`);
});

test('core rr: a worker busy with a long request is off the free list until it reads the next handle, so the others take the load', () => {
  // Two workers; every request burns 10 ms, one at a time. Worker 0 takes the first connection, and
  // the second goes to worker 1; while both are busy the primary holds the rest.
  const r = sim('rr', 2, { kind: 'burst', connections: 2, rounds: 1 }, { service: 'fixed', serviceMs: 10 });
  assert.equal(r.served, [1, 1]);
  // Poisson arrivals, exponential service: a worker that drew a long request stops getting more until it has read the
  // one it was handed, where cyclic round robin (the proxy at no cost) keeps handing it its turn. (With fixed service the
  // two are the same: the worker whose turn it is always finished first.)
  const load: SimLoad = { kind: 'open', arrivals: 'poisson', rate: 0.3, requests: 20_000, warmup: 2000 };
  const rr = sim('rr', 4, load, { serviceMs: 10 });
  const cyclic = sim('proxy', 4, load, { serviceMs: 10 });
  assert.ok(rr.meanMs < cyclic.meanMs * 0.85, `rr ${rr.meanMs} vs cyclic ${cyclic.meanMs}`);
  assert.ok(new Set(rr.served).size > 1 && new Set(cyclic.served).size === 1, 'rr skips busy workers; cyclic never does');
});

test('a user strategy runs its own pick: the docs sample (fewest served) splits a burst exactly evenly', async () => {
  const sample = pathToFileURL(fileURLToPath(new URL('../../../docs/examples/fewest-served.js', import.meta.url))).href;
  const { default: def } = (await import(sample)) as { default: Omit<UserStrategy, 'kind' | 'supported' | 'file' | 'sha256'> };
  const user = { ...def, kind: 'user' as const, supported: () => null, file: 'fewest-served.js', sha256: '' };
  const r = simulate({ ...BASE, workers: 3, load: { kind: 'burst', connections: 30, rounds: 3 }, placement: placementOf(user) });
  assert.equal(r.served, [30, 30, 30]);
});

test.run();
