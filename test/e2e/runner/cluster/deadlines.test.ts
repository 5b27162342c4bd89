// A hung worker cannot hang the run: a worker whose event loop is stuck (SIGSTOP) is read from its
// last counts after 2 s and named; a strategy whose load outlives its deadline is stopped and
// marked incomplete, its open requests counted as RUN_DEADLINE. Real clusters, small.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ClusterProcess } from '../../../../runner/cluster/handle.js';
import { resolveOptions } from '../../../../runner/options.js';
import { runStrategy } from '../../../../runner/strategy-run.js';
import { skipIf } from '../../../helpers/skip.js';

const POSIX = process.platform !== 'win32';

const config = {
  strategy: 'rr' as const,
  workers: 2,
  server: 'http' as const,
  host: '127.0.0.1',
  port: 0,
  backlog: 511,
  seed: 1,
  work: { kind: 'hello' as const },
  instrument: true,
};

skipIf(POSIX ? null : 'SIGSTOP is POSIX only: the stuck-worker read is tested on Linux and macOS')(
  'a stuck worker (SIGSTOP) misses a counter read: answered after 2 s from its last counts, and named',
  async () => {
    const cluster = await ClusterProcess.start(config);
    const stuck = cluster.workers[0].pid;
    try {
      const before = await cluster.snapshot();
      assert.is(before.stale, undefined);
      process.kill(stuck, 'SIGSTOP');
      const t0 = performance.now();
      const snap = await cluster.snapshot();
      const ms = performance.now() - t0;
      assert.equal(snap.stale, [stuck]);
      assert.ok(ms >= 1900 && ms < 5000, `answered after ${Math.round(ms)} ms`);
      assert.equal(
        snap.workers.map((w) => w.pid),
        cluster.workers.map((w) => w.pid),
        'every worker still in the reading',
      );
    } finally {
      process.kill(stuck, 'SIGCONT');
      await cluster.stop();
    }
  },
);

test('a strategy past its deadline is stopped: incomplete, its open requests RUN_DEADLINE, every request accounted', async () => {
  // A hung worker and a round deadline of 60 s: only the strategy's own deadline (2.5 s here) ends it.
  const opts = resolveOptions({
    policies: ['rr'],
    workers: 2,
    server: 'http',
    connections: 20,
    rounds: 3,
    roundTimeoutMs: 60_000,
    fault: { kind: 'hang', round: 1 },
  });
  const t0 = performance.now();
  const { result } = await runStrategy('rr', opts, { deadlineMs: 2500 });
  const ms = performance.now() - t0;
  assert.ok(ms < 10_000, `stopped after ${Math.round(ms)} ms`);
  assert.is(result.incomplete, 'ran past its deadline in round 1 of 3: that round is partial');
  assert.is(result.rounds.length, 1);
  const t = result.totals;
  assert.is(t.sent, t.ok + t.errors);
  assert.ok((result.errorsByCode.RUN_DEADLINE ?? 0) > 0, JSON.stringify(result.errorsByCode));
  assert.is(result.timedOut, result.errorsByCode.RUN_DEADLINE);
  assert.ok(t.accounted, result.problems.join('; '));
});

test.run();
