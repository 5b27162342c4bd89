// Interrupts keep the data: Ctrl-C or SIGTERM in the middle of a real run stops the load, shuts the
// clusters down and writes the strategies that finished plus the one cut short (marked
// incomplete), then exits 130 / 143 within 5 s with no process left. A second Ctrl-C exits at
// once; a crash of the runner leaves no primary or worker behind.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readResult } from '../../../format/io.js';
import { isSkipped, type MeasuredStrategy, type RunResult } from '../../../format/schema.js';
import { leftAlive, NO_PROC, runCli } from '../../helpers/cli.js';
import { skipIf } from '../../helpers/skip.js';
import { until } from '../../helpers/wait.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-int-'));

test.after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

const ARGS = ['--policy', 'rr,none,least-connections', '--workers', '2', '--connections', '50', '--rounds', '200', '--server', 'http'];
const primaries = (d: ReadonlyMap<number, string>): number => [...d.values()].filter((c) => c.includes('cluster/primary.js')).length;
const workers = (d: ReadonlyMap<number, string>): number => [...d.values()].filter((c) => c.includes('cluster/worker.js')).length;

const NAMES = ['rr', 'none', 'least-connections'];

/**
 * Signal once the `nth` strategy's load is under way: its rows have reached the run's requests
 * file (streamed to a temp file in the child's own TMPDIR, 64 KB at a time, so a few dozen rounds
 * in). Records when the signal went, to time the exit.
 */
function interruptDuring(nth: number, tmpdir: string, send: (childPid: number) => void) {
  const at = { sentAt: 0 };
  const rowsOf = (): string =>
    readdirSync(tmpdir)
      .filter((f) => f.startsWith('csb-requests-'))
      .map((f) => {
        try {
          return readFileSync(path.join(tmpdir, f), 'utf8');
        } catch {
          return ''; // moved into the run folder meanwhile
        }
      })
      .join('');
  const onPoll = (_descendants: ReadonlyMap<number, string>, child: { pid?: number }): void => {
    if (at.sentAt > 0 || !child.pid) return;
    if (!rowsOf().includes(`\n${NAMES[nth - 1]},`)) return;
    at.sentAt = Date.now();
    send(child.pid);
  };
  return { at, onPoll };
}

const SIGINT = 2;

/** Linux: whether `pid` has a handler for signal number `signo` (its bit in SigCgt of /proc/PID/status). */
function catches(pid: number, signo: number): boolean {
  try {
    const hex = /^SigCgt:\s+([0-9a-f]+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return hex !== undefined && ((BigInt(`0x${hex}`) >> BigInt(signo - 1)) & 1n) === 1n;
  } catch {
    return false; // gone
  }
}

/** A fresh TMPDIR for one child: its temp rows file is ours to watch, and must be gone after. */
const childTmp = (name: string): string => mkdtempSync(path.join(tmp, `${name}-tmp-`));

/** The one run folder under `out`, and its result (validated against the schema by readResult). */
function theRun(out: string): { dir: string; result: RunResult } {
  const runs = readdirSync(out);
  assert.is(runs.length, 1, `one run folder: ${runs.join(', ')}`);
  const dir = path.join(out, runs[0]);
  return { dir, result: readResult(path.join(dir, 'result.json')) };
}

const measuredOf = (r: RunResult): MeasuredStrategy[] => r.strategies.filter((s): s is MeasuredStrategy => !isSkipped(s));

const variants: Array<{ name: string; detached: boolean; nth: number; signal: NodeJS.Signals; code: number }> = [
  // A terminal's Ctrl-C: SIGINT to the whole process group (runner, primary and workers).
  { name: 'Ctrl-C (SIGINT to the process group) during the third strategy', detached: true, nth: 3, signal: 'SIGINT', code: 130 },
  // A supervisor stopping the runner alone (docker stop, CI timeout): the runner stops the clusters itself.
  { name: 'SIGTERM to the runner only, during the first strategy', detached: false, nth: 1, signal: 'SIGTERM', code: 143 },
];

for (const v of variants) {
  skipIf(NO_PROC)(`${v.name}: what finished plus the partial strategy written, exit ${v.code} within 5 s, no process left`, async () => {
    const out = path.join(tmp, `${v.signal}-${v.nth}`);
    const tmpdir = childTmp(`${v.signal}-${v.nth}`);
    const { at, onPoll } = interruptDuring(v.nth, tmpdir, (pid) => process.kill(v.detached ? -pid : pid, v.signal));
    const r = await runCli([...ARGS, '--out', out], { detached: v.detached, timeoutMs: 90_000, onPoll, env: { TMPDIR: tmpdir } });
    const stoppedMs = Date.now() - at.sentAt;
    assert.is(r.code, v.code, `exit code; stderr: ${r.stderr}`);
    assert.ok(at.sentAt > 0, 'the signal was sent');
    assert.ok(stoppedMs < 5000, `exited ${stoppedMs} ms after the signal`);
    assert.match(r.stderr, `interrupted (${v.signal}): stopping the load`);
    assert.match(r.stderr, `interrupted (${v.signal}): ${v.nth - 1} strategies complete, 1 incomplete`);
    assert.not.match(r.stderr, /error:/);

    const { dir, result } = theRun(out);
    assert.is(result.interrupted, v.signal);
    assert.is(result.ok, false);
    const done = measuredOf(result);
    assert.equal(
      done.map((s) => s.name),
      NAMES.slice(0, v.nth),
    );
    for (const s of done.slice(0, -1)) {
      assert.is(s.incomplete, undefined, `${s.name} finished`);
      assert.is(s.rounds.length, 200);
      assert.ok(s.totals.accounted, `${s.name}: ${s.problems.join('; ')}`);
    }
    const partial = done[done.length - 1];
    assert.match(partial.incomplete ?? '', /^interrupted (in|after) round \d+ of 200/);
    assert.ok(partial.rounds.length >= 1 && partial.rounds.length < 200, `${partial.rounds.length} rounds`);
    // Every request of the partial strategy is still accounted for: cut-off ones count as INTERRUPTED.
    const t = partial.totals;
    assert.is(t.sent, t.ok + t.errors, JSON.stringify(t));
    assert.ok(t.accounted, partial.problems.join('; '));
    assert.equal(
      Object.keys(partial.errorsByCode).filter((c) => c !== 'INTERRUPTED'),
      [],
      JSON.stringify(partial.errorsByCode),
    );
    assert.ok(existsSync(path.join(dir, 'requests.csv')), 'the raw rows are kept too');
    assert.equal(readdirSync(tmpdir), [], 'no temp rows file left');
    assert.ok(primaries(r.descendants) >= v.nth, `the run had started: ${JSON.stringify([...r.descendants])}`);
    assert.equal(await leftAlive(r.descendants), [], 'no process left behind');
  });
}

skipIf(NO_PROC)('a second Ctrl-C exits at once: exit 130, no process left, no half-written result', async () => {
  const out = path.join(tmp, 'twice');
  const tmpdir = childTmp('twice');
  const { at, onPoll } = interruptDuring(1, tmpdir, (pid) => process.kill(-pid, 'SIGINT'));
  // The second Ctrl-C once the runner has taken the first (it says it is stopping). Its handler stays
  // installed from the start (scripts/lib/command.ts), so it must be caught at every moment: /proc
  // shows it, and a second signal must never find SIGINT at its default action.
  let stopping = false;
  let rearmed: Error | null | undefined;
  const onStderr = (text: string, child: { pid?: number; exitCode: number | null }): void => {
    const pid = child.pid;
    if (stopping || pid === undefined || !text.includes('interrupted (SIGINT): stopping the load')) return;
    stopping = true;
    until(() => catches(pid, SIGINT) || child.exitCode !== null, 'the runner to catch SIGINT', 2000).then(
      () => {
        rearmed = null;
        if (child.exitCode !== null) return; // it stopped in order already
        try {
          process.kill(-pid, 'SIGINT');
        } catch {
          // the whole group is gone already: it stopped on the first
        }
      },
      (err: Error) => (rearmed = err),
    );
  };
  const r = await runCli([...ARGS, '--out', out], { detached: true, timeoutMs: 60_000, onPoll, onStderr, env: { TMPDIR: tmpdir } });
  const stoppedMs = Date.now() - at.sentAt;
  assert.is(r.code, 130, r.stderr);
  assert.ok(stopping, `the runner said it was stopping: ${r.stderr}`);
  assert.is(rearmed ?? null, null, 'its handler was there');
  assert.ok(stoppedMs < 1500, `exited ${stoppedMs} ms after the first signal`);
  // Usually the second lands while the run is stopping and quits at once. The first can also finish
  // the run before the second arrives (stopped between two rounds); then it ended in order, as after one.
  assert.ok(
    r.stderr.includes('second SIGINT: stopped every process at once') || /interrupted \(SIGINT\): \d+ strategies complete/.test(r.stderr),
    r.stderr,
  );
  // Written whole or not at all (atomic): a result, if any, is valid.
  if (existsSync(out)) for (const run of readdirSync(out)) readResult(path.join(out, run, 'result.json'));
  assert.equal(await leftAlive(r.descendants, 1000), [], 'no process left behind');
});

skipIf(NO_PROC)(
  'Ctrl-C while the first cluster is still starting: nothing measured, nothing written, exit 130, no process left',
  async () => {
    const out = path.join(tmp, 'early');
    let sent = false;
    const onPoll = (d: ReadonlyMap<number, string>, child: { pid?: number }): void => {
      if (sent || !child.pid || primaries(d) < 1) return;
      sent = true;
      process.kill(-child.pid, 'SIGINT');
    };
    const r = await runCli([...ARGS, '--out', out], { detached: true, timeoutMs: 60_000, onPoll });
    assert.is(r.code, 130, r.stderr);
    assert.match(r.stderr, 'interrupted before anything was measured: no results written');
    assert.not.match(r.stderr, /error:/);
    assert.is(existsSync(out), false, 'no results folder');
    assert.equal(await leftAlive(r.descendants, 500), [], 'no process left behind');
  },
);

skipIf(NO_PROC)('the runner killed outright (SIGKILL, a crash): its primaries and workers go too', async () => {
  const out = path.join(tmp, 'crash');
  const tmpdir = childTmp('crash');
  const { onPoll } = interruptDuring(1, tmpdir, (pid) => process.kill(pid, 'SIGKILL'));
  const r = await runCli([...ARGS, '--out', out], { timeoutMs: 60_000, onPoll, env: { TMPDIR: tmpdir } });
  assert.is(r.signal, 'SIGKILL');
  assert.ok(workers(r.descendants) >= 2, 'the cluster was running');
  // The primary sees its IPC channel close and shuts down; its workers close, or are SIGKILLed at 3 s.
  assert.equal(await leftAlive(r.descendants, 8000), [], 'no primary or worker left');
});

test.run();
