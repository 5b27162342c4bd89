// Options are defaulted in one place: resolveOptions fills what is absent, per load mode.
import os from 'node:os';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOADS } from '../../runner/load/index.js';
import { DEFAULTS, loadDefaultText, recordedOptions, resolveOptions } from '../../runner/options.js';
import { STRATEGY_NAMES } from '../../strategies/registry.js';

test('nothing given: the classic experiment (every strategy, burst 1000 x 20, fastify, CPU-count workers)', () => {
  const o = resolveOptions({ seed: 1 });
  assert.equal(o, {
    policies: [...STRATEGY_NAMES],
    workers: os.availableParallelism(),
    server: 'fastify',
    work: { kind: 'hello' },
    host: '127.0.0.1',
    port: 0,
    backlog: 4096,
    seed: 1,
    roundTimeoutMs: 10_000,
    out: 'results',
    runs: 1,
    warmup: 0,
    clients: Math.max(1, Math.floor(os.availableParallelism() / 8)),
    load: 'burst',
    connections: 1000,
    rounds: 20,
  });
});

test('each load mode gets exactly its own settings, given values win, others are ignored', () => {
  assert.equal(resolveOptions({ load: 'sustained', seed: 1, rate: 5, rounds: 9 }), {
    ...resolveOptions({ seed: 1 }),
    load: 'sustained',
    connections: 100,
    rounds: 1,
    duration: 10,
  });
  const open = resolveOptions({ load: 'open', rate: 50, duration: 2, seed: 1 });
  assert.equal([open.load, open.load === 'open' && open.rate, open.load === 'open' && open.duration, open.rounds], ['open', 50, 2, 1]);
  const churn = resolveOptions({ load: 'churn', connections: 7, seed: 1, workers: 3, server: 'http' });
  assert.equal([churn.connections, churn.workers, churn.server, churn.rounds], [7, 3, 'http', 1]);
});

test('values travel parsed; the result document records them as text', () => {
  const o = resolveOptions({ seed: 1, work: { kind: 'mixed', percent: 10, ms: 20 }, fault: { kind: 'kill', round: 2 } });
  assert.equal(
    [o.work, o.fault],
    [
      { kind: 'mixed', percent: 10, ms: 20 },
      { kind: 'kill', round: 2 },
    ],
  );
  const r = recordedOptions(o);
  assert.equal([r.work, r.fault], ['mixed:10:20', 'kill-worker:2']);
  assert.equal(recordedOptions(resolveOptions({ seed: 1 })).fault, undefined);
});

test('a fresh seed per run unless one is given', () => {
  const seeds = new Set(Array.from({ length: 5 }, () => resolveOptions().seed));
  assert.ok(seeds.size > 1);
  assert.is(resolveOptions({ seed: 0 }).seed, 0, 'seed 0 is a seed');
});

test('--help defaults come from the tables', () => {
  assert.is(loadDefaultText('connections', ['burst', 'sustained', 'churn']), '1000 burst, 100 sustained/churn');
  assert.is(loadDefaultText('rounds', ['burst']), String(LOADS.burst.defaults.rounds));
  assert.is(loadDefaultText('duration', ['sustained', 'churn', 'open']), '10');
  assert.equal(DEFAULTS.policies, STRATEGY_NAMES, 'every strategy, in the registry order');
});

test.run();
