// sticky: one client address, one worker (hash of the address modulo the candidates).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { seededRng } from '../../strategies/rng.js';
import { createSticky, fnv1a } from '../../strategies/sticky.js';
import type { WorkerLoad } from '../../strategies/types.js';

const workers = (n: number): WorkerLoad[] =>
  Array.from({ length: n }, (_, i) => ({ id: i + 1, pid: 100 + i, active: 0, served: 0, requests: 0 }));

test('FNV-1a: the published test vectors', () => {
  assert.is(fnv1a(''), 0x811c9dc5);
  assert.is(fnv1a('a'), 0xe40c292c);
  assert.is(fnv1a('foobar'), 0xbf9cf968);
});

test('the same address always gets the same worker, whatever the load or the random source', () => {
  const p = createSticky();
  const ws = workers(4);
  const rng = seededRng(1);
  const first = p.pick(ws, rng, { remoteAddress: '127.0.0.7' });
  for (let i = 0; i < 50; i++) {
    ws[i % 4].active += 10;
    assert.is(p.pick(ws, rng, { remoteAddress: '127.0.0.7' }), first);
  }
  assert.is(first, fnv1a('127.0.0.7') % 4);
});

test('different addresses spread by their hash; with fewer candidates (a worker gone) the modulo changes', () => {
  const p = createSticky();
  const addrs = Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 1}`);
  assert.equal(
    addrs.map((a) => p.pick(workers(4), () => 0, { remoteAddress: a })),
    addrs.map((a) => fnv1a(a) % 4),
  );
  assert.equal(
    addrs.map((a) => p.pick(workers(3), () => 0, { remoteAddress: a })),
    addrs.map((a) => fnv1a(a) % 3),
  );
});

test('no address (a connection handed back by a worker going away): a random candidate', () => {
  assert.is(
    createSticky().pick(workers(4), () => 0.6),
    2,
  );
});

test.run();
