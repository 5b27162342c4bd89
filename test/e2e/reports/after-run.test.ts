// The runner renders the report from the files it just wrote, unless --no-report. Real (tiny) runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDirsUntil } from '../../reports/fixtures.js';

const tempDir = tempDirsUntil(test.after);

const BENCH = fileURLToPath(new URL('../../../scripts/bench.js', import.meta.url));
const TINY = ['--policy', 'rr,none', '--workers', '2', '--connections', '20', '--rounds', '2', '--server', 'http'];

function bench(out: string, ...extra: string[]): { code: number | null; stderr: string; dir: string } {
  const r = spawnSync(process.execPath, [BENCH, ...TINY, '--out', out, ...extra], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const runs = existsSync(out) ? readdirSync(out) : [];
  assert.is(runs.length, 1, r.stderr);
  return { code: r.status, stderr: r.stderr, dir: path.join(out, runs[0]) };
}

test('a run writes report.html beside result.json and prints its path on stderr', () => {
  const { code, stderr, dir } = bench(tempDir());
  assert.is(code, 0, stderr);
  assert.ok(stderr.includes(`report ${path.join(dir, 'report.html')}\n`), stderr);
  for (const f of ['result.json', 'requests.csv', 'report.html', 'report.md', 'seed.svg']) assert.ok(existsSync(path.join(dir, f)), f);
});

test('--no-report: result files only', () => {
  const { code, stderr, dir } = bench(tempDir(), '--no-report');
  assert.is(code, 0, stderr);
  assert.not.match(stderr, /report /);
  assert.equal(readdirSync(dir).sort(), ['latency.hlog', 'requests.csv', 'result.json']);
});

test.run();
