// Every --fault end to end at small scale, through the real CLI: the run ends within its
// deadlines, every request is accounted for and every failure explained by the fault (exit 0),
// the worker and round are named in the result, and no process is left (descendants listed
// while it ran, checked after).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isSkipped, type MeasuredStrategy, type RunResult, type WorkerEvent } from '../../../format/schema.js';
import { HAS_PROC, leftAlive, runCli } from '../../helpers/cli.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-faults-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

const ROUNDS = 4;
const BASE = ['--workers', '2', '--connections', '40', '--server', 'http', '--no-report', '--json'];

async function faultRun(args: string[], rounds = ROUNDS): Promise<{ result: RunResult; wallMs: number }> {
  const t0 = Date.now();
  const r = await runCli([...BASE, '--rounds', String(rounds), '--out', out, ...args], { timeoutMs: 60_000 });
  const wallMs = Date.now() - t0;
  assert.is(r.code, 0, `exit 0 (every failure explained); stderr:\n${r.stderr}`);
  if (HAS_PROC) assert.equal(await leftAlive(r.descendants, 500), [], 'no process left behind');
  return { result: JSON.parse(r.stdout) as RunResult, wallMs };
}

const strategies = (r: RunResult): MeasuredStrategy[] => r.strategies.filter((s): s is MeasuredStrategy => !isSkipped(s));

/** Every request accounted for; every failure in a round where something happened to a worker. */
function accountedAndExplained(s: MeasuredStrategy, rounds = ROUNDS): void {
  const t = s.totals;
  assert.is(t.sent, rounds * 40, s.name);
  assert.is(t.sent, t.ok + t.errors, `${s.name}: ${JSON.stringify(t)}`);
  assert.ok(t.accounted, `${s.name}: ${s.problems.join('; ')}`);
  assert.equal(s.problems, [], s.name);
  assert.is(t.mismatches, t.explained ?? 0, `${s.name}: every mismatch explained`);
  for (const r of s.rounds) {
    const failed = r.errors;
    if (failed === 0) continue;
    assert.ok(
      (s.explained ?? []).some((x) => x.startsWith(`round ${r.index}: ${failed} of ${r.sent} requests failed`)),
      `${s.name} round ${r.index}: its ${failed} failures are explained: ${JSON.stringify(s.explained)}`,
    );
  }
}

const eventOf = (s: MeasuredStrategy, kind: WorkerEvent['event']): WorkerEvent => {
  const e = (s.workerEvents ?? []).find((x) => x.event === kind);
  assert.ok(e, `${s.name}: a ${kind} event in ${JSON.stringify(s.workerEvents)}`);
  return e as WorkerEvent;
};

test('kill-worker:2: worker 1 is SIGKILLed as round 2 starts; it serves nothing after; the rest carry every request', async () => {
  const { result } = await faultRun(['--policy', 'rr,least-connections', '--fault', 'kill-worker:2']);
  assert.is(result.options.fault, 'kill-worker:2');
  for (const s of strategies(result)) {
    accountedAndExplained(s);
    const e = eventOf(s, 'killed');
    assert.equal([e.round, e.id, e.expected], [2, 1, true]);
    assert.match(e.detail, 'SIGKILL');
    for (const r of s.rounds.filter((x) => x.index > 2))
      assert.is(r.counts[e.pid], 0, `${s.name} round ${r.index}: the dead worker served nothing`);
    assert.is(s.workers.length, 2, 'no replacement without --respawn');
  }
});

test('kill-worker:2 --respawn: a replacement joins in round 2 and serves the later rounds', async () => {
  // Enough rounds after the kill for the replacement to boot (the load does not wait for it).
  const rounds = 40;
  const { result } = await faultRun(['--policy', 'none,random', '--fault', 'kill-worker:2', '--respawn'], rounds);
  assert.is(result.options.respawn, true);
  for (const s of strategies(result)) {
    accountedAndExplained(s, rounds);
    const killed = eventOf(s, 'killed');
    const spawned = eventOf(s, 'spawned');
    assert.is(spawned.round, 2);
    assert.match(spawned.detail, `replaces worker 1 (pid ${killed.pid})`);
    assert.is(s.workers.length, 3, 'the replacement is one of the workers');
    const served = s.rounds.filter((r) => r.index > 2).reduce((a, r) => a + r.counts[spawned.pid], 0);
    assert.ok(served > 0, `${s.name}: the replacement served ${served} in rounds 3-${rounds}`);
    assert.is(s.perWorker.find((w) => w.pid === spawned.pid)?.server, s.perWorker.find((w) => w.pid === spawned.pid)?.client);
  }
});

test('hang-worker:2: the hung worker takes requests and answers none; each round ends at its deadline; its requests are named', async () => {
  const timeoutMs = 1000;
  const { result, wallMs } = await faultRun([
    '--policy',
    'rr,least-connections',
    '--fault',
    'hang-worker:2',
    '--round-timeout',
    String(timeoutMs),
  ]);
  // Two strategies of 4 rounds, 3 of them waiting out the deadline: bounded by it, not hanging.
  assert.ok(wallMs < 2 * (ROUNDS * timeoutMs + 6000), `the run took ${wallMs} ms`);
  for (const s of strategies(result)) {
    accountedAndExplained(s);
    const e = eventOf(s, 'hung');
    assert.equal([e.round, e.id], [2, 1]);
    for (const r of s.rounds.filter((x) => x.index >= 2)) {
      assert.is(r.counts[e.pid], 0, `${s.name} round ${r.index}: no answer from the hung worker`);
      const held = r.server[e.pid];
      assert.is(r.errorsByCode?.ROUND_DEADLINE ?? 0, held, `${s.name} round ${r.index}: every request it held timed out`);
      if (held > 0)
        assert.ok(
          (s.explained ?? []).includes(
            `round ${r.index}: worker ${e.pid} ${r.index === 2 ? 'hung in round 2' : 'hung since round 2'}: it took ${held} requests and answered 0: ${held} never answered`,
          ),
          `${s.name} round ${r.index}: named: ${JSON.stringify(s.explained)}`,
        );
    }
    assert.ok(s.timedOut !== undefined && s.timedOut > 0, 'the timed-out requests are shown beside p99');
  }
});

test('slow-worker:60: worker 1 answers every request 60 ms late, the others do not; nothing fails', async () => {
  const { result } = await faultRun(['--policy', 'rr', '--fault', 'slow-worker:60']);
  const [s] = strategies(result);
  accountedAndExplained(s);
  assert.is(s.totals.errors, 0);
  const e = eventOf(s, 'slowed');
  const slow = s.perWorker.find((w) => w.pid === e.pid);
  const other = s.perWorker.find((w) => w.pid !== e.pid);
  assert.ok((slow?.latencyMs?.p50 ?? 0) >= 60, `slowed worker p50 ${slow?.latencyMs?.p50} ms`);
  assert.ok((slow?.latencyMs?.p50 ?? 0) > (other?.latencyMs?.p50 ?? 0), `others p50 ${other?.latencyMs?.p50} ms`);
});

test('exit-worker:2: worker 1 leaves gracefully (exit 0) as round 2 starts; later rounds go to the others', async () => {
  const { result } = await faultRun(['--policy', 'rr,least-connections', '--fault', 'exit-worker:2']);
  for (const s of strategies(result)) {
    accountedAndExplained(s);
    const e = eventOf(s, 'exited');
    assert.equal([e.round, e.id], [2, 1]);
    assert.match(e.detail, 'code 0');
    for (const r of s.rounds.filter((x) => x.index > 2)) assert.is(r.counts[e.pid], 0);
  }
});

test('a fault run with a failure no worker event explains exits 1: a slowed worker that misses the round deadline', async () => {
  const out = mkdtempSync(path.join(os.tmpdir(), 'csb-unexplained-'));
  try {
    const args = ['--policy', 'rr', '--rounds', '2', '--work', 'io:50', '--fault', 'slow-worker:400', '--round-timeout', '200'];
    const r = await runCli([...BASE, '--out', out, ...args], { timeoutMs: 60_000 });
    assert.is(r.code, 1, `a slow worker still has to answer in time; stderr:\n${r.stderr}`);
    const s = strategies(JSON.parse(r.stdout) as RunResult)[0];
    assert.ok((s.errorsByCode.ROUND_DEADLINE ?? 0) > 0, JSON.stringify(s.errorsByCode));
    assert.is(
      s.rounds.reduce((a, x) => a + (x.errorsExplained ?? 0), 0),
      0,
      'slowing takes no request away: it explains no failure',
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test.run();
