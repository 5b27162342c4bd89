// `npm run simulate` as a user runs it: a user's strategy file simulated beside a built-in, its
// result document rendered by `report` (alone, and side by side with a measured run), bad input
// refused in one line with nothing written.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RunResult } from '../../../format/schema.js';

const run = promisify(execFile);
const script = (name: string): string => fileURLToPath(new URL(`../../../scripts/${name}.js`, import.meta.url));
const SAMPLE = fileURLToPath(new URL('../../../../docs/examples/fewest-served.js', import.meta.url));
const MEASURED = fileURLToPath(new URL('../../../../docs/sim/measured/open-2w.json', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-sim-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

async function cli(name: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [script(name), ...args], { maxBuffer: 64 << 20 });
    return { code: 0, ...r };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

test('a strategy file beside rr, a burst: both placed, the file recorded; report renders the document', async () => {
  const out = path.join(tmp, 'sim');
  const r = await cli('simulate', [
    ...['--strategy-file', SAMPLE, '--policy', 'rr', '--workers', '3', '--load', 'burst', '--connections', '30', '--rounds', '4'],
    ...['--work', 'cpu:1', '--seed', '5', '--json', '--out', out],
  ]);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as RunResult;
  assert.equal(
    doc.strategies.map((s) => [s.name, s.kind]),
    [
      ['rr', 'native'],
      ['fewest-served', 'user'],
    ],
  );
  const user = doc.strategies[1] as MeasuredStrategy;
  assert.equal(
    user.perWorker.map((w) => w.connections),
    [40, 40, 40],
  );
  assert.is(user.source?.file, SAMPLE);
  assert.match(r.stderr, /fewest-served/);
  const [id] = readdirSync(out);
  const report = await cli('report', [path.join(out, id)]);
  assert.is(report.code, 0, report.stderr);
  assert.ok(existsSync(path.join(out, id, 'report.html')));
});

test('measured and simulated side by side: report puts the two runs on one site', async () => {
  const out = path.join(tmp, 'like');
  const sim = await cli('simulate', ['--like', MEASURED, '--seed', '2', '--out', out]);
  assert.is(sim.code, 0, sim.stderr);
  assert.match(sim.stderr, /calibrated from/);
  const [id] = readdirSync(out);
  const site = path.join(tmp, 'site');
  // report reads result folders: the measured document in one of its own.
  const measured = path.join(tmp, 'measured');
  mkdirSync(measured);
  copyFileSync(MEASURED, path.join(measured, 'result.json'));
  const report = await cli('report', [measured, path.join(out, id), '--out', site]);
  assert.is(report.code, 0, report.stderr);
  assert.ok(readdirSync(site).some((f) => f.endsWith('.html')));
});

test('bad input: exit 2, one line naming the value, nothing written', async () => {
  const out = path.join(tmp, 'bad');
  for (const [args, line] of [
    [['--policy', 'fastest'], /unknown --policy 'fastest' \(valid: /],
    [['--strategy-file', path.join(tmp, 'nope.js')], /--strategy-file/],
    [['--load', 'burst', '--rate', '10'], /--rate does not apply to --load burst/],
  ] as const) {
    const r = await cli('simulate', [...args, '--out', out]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, line);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  assert.ok(!existsSync(out) || readdirSync(out).length === 0);
});

test.run();
