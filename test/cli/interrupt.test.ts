// Ctrl-C in the middle of a real run: exit code 130, one line saying so, no results, no process left.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HAS_PROC, leftAlive, runCli } from '../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-int-'));

test.after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** The streamed rows' temp files (format/requests.ts RowsWriter). */
const rowTemps = (): string[] => readdirSync(os.tmpdir()).filter((f) => f.startsWith('csb-requests-'));

const ARGS = ['--policy', 'all', '--workers', '2', '--connections', '50', '--rounds', '200', '--server', 'http'];
const INTERRUPTED = '\ninterrupted: stopping every cluster; no results written\n';

/** Interrupt once both workers of the first cluster run and it has had 300 ms of load. */
function interruptWhenLoaded(send: (childPid: number) => void) {
  let sent = false;
  let seen = 0;
  return (descendants: ReadonlyMap<number, string>, child: { pid?: number }): void => {
    if (sent || !child.pid) return;
    const workers = [...descendants.values()].filter((cmd) => cmd.includes('cluster/worker.js')).length;
    if (workers < 2) return;
    if (seen === 0) seen = Date.now();
    else if (Date.now() - seen >= 300) {
      sent = true;
      send(child.pid);
    }
  };
}

const variants: Array<{ name: string; detached: boolean; send: (pid: number) => void }> = [
  // A terminal's Ctrl-C: SIGINT to the whole process group (runner, primary and workers).
  { name: 'Ctrl-C (SIGINT to the process group)', detached: true, send: (pid) => process.kill(-pid, 'SIGINT') },
  // A supervisor signalling the runner alone: the runner must stop the clusters itself.
  { name: 'SIGINT to the runner only', detached: false, send: (pid) => process.kill(pid, 'SIGINT') },
];

for (const v of variants) {
  if (!HAS_PROC) {
    test.skip(`${v.name} (skipped: finding the run's processes needs Linux /proc)`, () => {});
    continue;
  }
  test(`${v.name} during the first strategy: exit 130, no results folder, no worker or primary left`, async () => {
    const out = path.join(tmp, v.detached ? 'group' : 'runner');
    const rowsBefore = rowTemps();
    const r = await runCli([...ARGS, '--out', out], { detached: v.detached, timeoutMs: 60_000, onPoll: interruptWhenLoaded(v.send) });
    assert.is(r.code, 130, `exit code; stderr: ${r.stderr}`);
    assert.is(r.stdout, '');
    assert.ok(r.stderr.endsWith(INTERRUPTED), `stderr ends with the one interrupted line:\n${r.stderr}`);
    assert.not.match(r.stderr, /error/i);
    assert.is(existsSync(out), false, 'no results folder');
    assert.equal(
      rowTemps().filter((f) => !rowsBefore.includes(f)),
      [],
      'no temp rows file left',
    );
    const started = [...r.descendants.values()];
    assert.equal(
      [started.filter((c) => c.includes('primary.js')).length >= 1, started.filter((c) => c.includes('cluster/worker.js')).length >= 2],
      [true, true],
      `the run had started: ${JSON.stringify([...r.descendants])}`,
    );
    assert.equal(await leftAlive(r.descendants), [], 'no process left behind');
  });
}

test.run();
