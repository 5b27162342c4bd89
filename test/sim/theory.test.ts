// The simulator against queueing theory (ideal: Poisson arrivals, exponential service, no primary
// cost, no information delay), seeded. Each placement is the strategy's own picker code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { poissonLoad, type SimOptions, simulate } from '../../sim/engine.js';
import { EventHeap } from '../../sim/heap.js';
import { placementOf } from '../../sim/placement.js';
import { ekm1Response, erlangC, mm1Quantile, mm1Response, mmnResponse, supermarketResponse } from '../../sim/theory.js';

// Work as CPU work (it stretches when cores are short), as the queueing models have it.
const IDEAL = { serviceMs: 1, service: 'exp', seed: 11, primaryMs: 0, ipcMs: 0, reportMs: 0, burn: 'cpu' } as const;
type Name = 'rr' | 'none' | 'reuseport' | 'random' | 'p2c' | 'least-connections' | 'least-requests' | 'proxy';
type More = Partial<SimOptions> & { requests?: number; warmup?: number };
const run = (name: Name, workers: number, rho: number, more: More = {}, wake: 'lifo' | 'fifo' | 'random' = 'lifo') => {
  const { requests = 300_000, warmup = requests / 10, ...rest } = more;
  return simulate({ ...IDEAL, workers, load: poissonLoad(rho, workers, 1, requests, warmup), placement: placementOf(name, wake), ...rest });
};
const within = (x: number, y: number, rel: number): boolean => Math.abs(x / y - 1) <= rel;

test('the heap pops in time order, ties in the order scheduled', () => {
  const h = new EventHeap<{ at: number; seq: number; tag: string }>();
  for (const [at, tag] of [
    [3, 'c'],
    [1, 'a1'],
    [2, 'b'],
    [1, 'a2'],
    [0, 'z'],
  ] as const)
    h.push({ at, tag });
  const out: string[] = [];
  for (let e = h.pop(); e !== undefined; e = h.pop()) out.push(e.tag);
  assert.equal(out, ['z', 'a1', 'a2', 'b', 'c']);
});

test('the formulas: textbook values', () => {
  assert.ok(Math.abs(mm1Response(0.5) - 2) < 1e-12);
  assert.ok(Math.abs(supermarketResponse(0.5) - (1 + 0.5 ** 2 + 0.5 ** 6 + 0.5 ** 14 + 0.5 ** 30)) < 1e-9);
  // Erlang C, 2 servers at rho 0.5 (a = 1): 1/3.
  assert.ok(Math.abs(erlangC(2, 0.5) - 1 / 3) < 1e-12);
  // One worker: round robin is M/M/1.
  assert.ok(Math.abs(ekm1Response(1, 0.8) - 5) < 1e-6);
});

test('random placement is N independent M/M/1 queues: mean and p99 within 3%', () => {
  const r = run('random', 8, 0.8);
  assert.ok(within(r.meanMs, mm1Response(0.8), 0.03), `mean ${r.meanMs} vs ${mm1Response(0.8)}`);
  assert.ok(within(r.p99Ms, mm1Quantile(0.8, 0.99), 0.05), `p99 ${r.p99Ms} vs ${mm1Quantile(0.8, 0.99)}`);
});

test('cyclic round robin (the proxy at no cost) is E_N/M/1 per worker: within 3%', () => {
  const r = run('proxy', 8, 0.8);
  assert.ok(within(r.meanMs, ekm1Response(8, 0.8), 0.03), `mean ${r.meanMs} vs ${ekm1Response(8, 0.8)}`);
});

test("core's rr: a busy worker reads the next handle only after its request, so it leaves the free list: between the M/M/N floor and E_N/M/1", () => {
  const r = run('rr', 8, 0.8);
  assert.ok(r.meanMs > mmnResponse(8, 0.8) && r.meanMs < ekm1Response(8, 0.8) * 0.7, `mean ${r.meanMs}`);
});

test('time-sharing: 8 workers on 1 core is work-conserving with memoryless service, so the whole is M/M/1 at the total load', () => {
  // Processor sharing between the busy workers, FIFO within each: the number in the system is the
  // M/M/1 birth-death chain (the discipline never looks at service times), so the mean response is 1 / (1 - 0.8).
  // Both schedulers: processor sharing, and Linux-like slices (least CPU received first).
  for (const sched of ['ps', 'slices'] as const) {
    const r = run('random', 8, 0.1, { cores: 1, sched });
    assert.ok(within(r.meanMs, 1 / (1 - 0.8), 0.04), `${sched}: mean ${r.meanMs} vs 5`);
  }
});

test('power of two choices approaches the supermarket model: within 5% at 128 workers', () => {
  const r = run('p2c', 128, 0.9);
  assert.ok(within(r.meanMs, supermarketResponse(0.9), 0.05), `mean ${r.meanMs} vs ${supermarketResponse(0.9)}`);
});

test('JSQ (least-connections, instant closes) at high load: above the M/M/N floor, far below p2c', () => {
  const r = run('least-connections', 16, 0.95);
  const floor = mmnResponse(16, 0.95);
  assert.ok(r.meanMs >= floor * 0.98 && r.meanMs <= floor * 1.15, `mean ${r.meanMs} vs M/M/N ${floor}`);
  assert.ok(r.meanMs < supermarketResponse(0.95) * 0.8);
});

test('least-requests with instant reports is one central queue: M/M/N within 3%', () => {
  const r = run('least-requests', 8, 0.8);
  assert.ok(within(r.meanMs, mmnResponse(8, 0.8), 0.03), `mean ${r.meanMs} vs ${mmnResponse(8, 0.8)}`);
});

test('costs move it the way they must: a busy primary and late reports make JSQ worse', () => {
  const ideal = run('least-connections', 8, 0.8, { requests: 100_000, warmup: 10_000 });
  const late = run('least-connections', 8, 0.8, { requests: 100_000, warmup: 10_000, reportMs: 2 });
  const primary = run('least-connections', 8, 0.8, { requests: 100_000, warmup: 10_000, primaryMs: 0.1 });
  assert.ok(late.meanMs > ideal.meanMs * 1.05, `late reports ${late.meanMs} vs ${ideal.meanMs}`);
  assert.ok(primary.meanMs > ideal.meanMs, `primary cost ${primary.meanMs} vs ${ideal.meanMs}`);
  assert.is(
    ideal.served.reduce((a, x) => a + x, 0),
    ideal.requests,
  );
});

test('reuseport (a hash over fresh 4-tuples) is random placement: M/M/1 within 3%', () => {
  const r = run('reuseport', 8, 0.8);
  assert.ok(within(r.meanMs, mm1Response(0.8), 0.03), `mean ${r.meanMs} vs ${mm1Response(0.8)}`);
});

test('none (the accept race): LIFO wake-up piles a light load on few workers, FIFO spreads it; both near the central queue', () => {
  const share = (served: number[]): number[] => [...served].sort((a, b) => b - a).map((x) => x / served.reduce((a, y) => a + y, 0));
  const lifo = run('none', 8, 0.05, { requests: 100_000, warmup: 10_000 }, 'lifo');
  const fifo = run('none', 8, 0.05, { requests: 100_000, warmup: 10_000 }, 'fifo');
  const [a, b] = share(lifo.served);
  assert.ok(a + b > 0.35, `LIFO: the two busiest take ${((a + b) * 100).toFixed(1)}%`);
  assert.ok(share(fifo.served)[0] < 0.14, `FIFO: the busiest takes ${(share(fifo.served)[0] * 100).toFixed(1)}%`);
  // An idle worker is woken at once (central-queue-like), but a busy one that returns to its event loop takes
  // everything waiting, committing it to its own queue: between the central queue and random placement.
  const busy = run('none', 8, 0.8, {}, 'fifo');
  assert.ok(busy.meanMs > mmnResponse(8, 0.8) && busy.meanMs < mm1Response(0.8) / 2, `mean ${busy.meanMs}`);
});

test('cores: fewer cores than workers make everyone wait; a core each changes nothing', () => {
  const base = { requests: 100_000, warmup: 10_000 };
  const free = run('p2c', 8, 0.4, base);
  const eight = run('p2c', 8, 0.4, { ...base, cores: 8 });
  const four = run('p2c', 8, 0.4, { ...base, cores: 4 });
  // A core each (8 workers, the primary idle): the sliced scheduler never slices; the same as unlimited cores, to rounding.
  assert.equal(eight.served, free.served);
  assert.ok(
    Math.abs(eight.p99Ms / free.p99Ms - 1) < 1e-9 && Math.abs(eight.meanMs / free.meanMs - 1) < 1e-9,
    `${eight.meanMs} vs ${free.meanMs}`,
  );
  assert.ok(four.meanMs > free.meanMs * 1.2, `4 cores ${four.meanMs} vs ${free.meanMs}`);
  // The primary competes for a core too: squeezed onto 2 cores with 4 workers, everything waits on it.
  const primary = run('least-connections', 4, 0.4, { ...base, primaryMs: 0.05, cores: 2 });
  const spare = run('least-connections', 4, 0.4, { ...base, primaryMs: 0.05, cores: 5 });
  assert.ok(primary.meanMs > spare.meanMs * 1.2, `${primary.meanMs} vs ${spare.meanMs}`);
});

test('seeded: the same seed, the same result', () => {
  const a = run('p2c', 8, 0.7, { requests: 20_000, warmup: 1000 });
  const b = run('p2c', 8, 0.7, { requests: 20_000, warmup: 1000 });
  assert.equal(a, b);
});

test.run();
