import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { OVERHEAD_FLAGS, overheadOptions, perfOverhead } from '../../../perf/commands/overhead.js';
import { helpPage } from '../../../scripts/lib/command.js';

test('defaults: 20 cycles of 1.5 s windows, 100 connections, 2 workers, http, rr', () => {
  assert.equal(overheadOptions({}), { reps: 20, durationS: 1.5, connections: 100, workers: 2, server: 'http', strategy: 'rr' });
});

test('bad values name the flag, the value and the valid range or choices', () => {
  const cases: Array<[Record<string, string>, string]> = [
    [{ reps: '0' }, "invalid --reps '0': expected a whole number from 1 to 200"],
    [{ duration: 'abc' }, "invalid --duration 'abc': expected seconds from 0.5 to 600"],
    [{ duration: '0.1' }, "invalid --duration '0.1': expected seconds from 0.5 to 600"],
    [{ workers: '-2' }, "invalid --workers '-2': expected a whole number from 1 to 64"],
    [{ server: 'express' }, "unknown --server 'express' (valid: fastify, http)"],
  ];
  for (const [values, message] of cases)
    assert.throws(
      () => overheadOptions(values),
      (e: Error & { exitCode?: number }) => e.message === message && e.exitCode === 2,
    );
});

test('--help lists every flag', () => {
  const help = helpPage(perfOverhead);
  for (const name of Object.keys(OVERHEAD_FLAGS)) assert.match(help, new RegExp(`^  --${name}\\b`, 'm'));
});

test.run();
