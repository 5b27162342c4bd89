import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDispatchPerf, perfDispatch } from '../../../perf/commands/dispatch.js';
import { parseFlags } from '../../../scripts/lib/flags.js';

/** argv as the command sees it: the flag table's parsing, then its parse(). */
const parseBenchArgs = (argv: string[]) => parseDispatchPerf(parseFlags(argv, perfDispatch.flags, false).values);

test('bad values name the flag and the valid choices or range (exit code 2)', () => {
  const cases: Array<[string[], string]> = [
    [['--server', 'nope'], "unknown --server 'nope' (valid: fastify, http)"],
    [['--reps', '0'], "invalid --reps '0': expected a whole number from 1 to 1000"],
    [['--burst-rounds', '-1'], "invalid --burst-rounds '-1': expected a whole number from 0 to 10000"],
    [['--policy', 'random,rr'], "--policy 'random,rr': known names only, and rr first (the baseline of every ratio)"],
  ];
  for (const [argv, message] of cases)
    assert.throws(
      () => parseBenchArgs(argv),
      (e: Error & { exitCode?: number }) => e.message === message && e.exitCode === 2,
      argv.join(' '),
    );
});

test('defaults: rr first, 5 reps of 5 s churn, http, a 1000 x 20 burst', () => {
  const o = parseBenchArgs(['--seed', '7', '--workers', '2']);
  assert.equal(
    [o.policies, o.reps, o.duration, o.server, o.connections, o.burstConnections, o.burstRounds, o.burstReps, o.seed, o.workers],
    [['rr', 'least-connections', 'random', 'none'], 5, 5, 'http', 100, 1000, 20, 1, 7, 2],
  );
});

test.run();
