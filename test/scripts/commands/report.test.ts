// `report` takes run folders or folders of runs, as `compare` does: both find runs with
// runFoldersUnder (format/io.ts). Files only, in process; the CLI end to end is test/e2e/cli/report.test.ts.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UsageError } from '../../../format/errors.js';
import { runFoldersUnder } from '../../../format/io.js';
import { runsAt } from '../../../scripts/commands/compare.js';
import { report, runDirs } from '../../../scripts/commands/report.js';
import { runFolder, tempDirsUntil, tiny } from '../../reports/fixtures.js';

const tempDir = tempDirsUntil(test.after);

/** results/linux/<run>, results/windows/<run>, results/windows/old/<run>, and a folder with no run. */
function tree(): string {
  const root = tempDir();
  runFolder(path.join(root, 'linux'), '20260101-000000-aaaa', tiny({}, '20260101-000000-aaaa'));
  runFolder(path.join(root, 'windows'), '20260102-000000-bbbb', tiny({ platform: 'win32' }, '20260102-000000-bbbb'));
  runFolder(path.join(root, 'windows', 'old'), '20251201-000000-cccc', tiny({ platform: 'win32' }, '20251201-000000-cccc'));
  mkdirSync(path.join(root, 'empty'));
  return root;
}

const rel = (root: string, dirs: string[]): string[] => dirs.map((d) => path.relative(root, d).split(path.sep).join('/'));

test('runFoldersUnder: a run folder is itself; a folder of runs gives every run below it, never looking inside a run', () => {
  const root = tree();
  assert.equal(rel(root, runFoldersUnder(root)), [
    'linux/20260101-000000-aaaa',
    'windows/20260102-000000-bbbb',
    'windows/old/20251201-000000-cccc',
  ]);
  const run = path.join(root, 'linux', '20260101-000000-aaaa');
  mkdirSync(path.join(run, 'nested'));
  runFolder(path.join(run, 'nested'), 'inner', tiny());
  assert.equal(runFoldersUnder(run), [run]);
  assert.equal(runFoldersUnder(path.join(root, 'empty')), []);
});

test('runFoldersUnder searches 4 levels down, no further', () => {
  const root = tempDir();
  runFolder(path.join(root, 'a', 'b', 'c'), 'run4', tiny());
  runFolder(path.join(root, 'a', 'b', 'c', 'd'), 'run5', tiny());
  assert.equal(rel(root, runFoldersUnder(root)), ['a/b/c/run4']);
});

test('compare and report find the same runs under a folder of runs', () => {
  const root = tree();
  assert.equal(
    runsAt(root).map((r) => r.runId),
    ['20260101-000000-aaaa', '20260102-000000-bbbb', '20251201-000000-cccc'],
  );
  assert.equal(rel(root, runDirs([root])), [
    'linux/20260101-000000-aaaa',
    'windows/20260102-000000-bbbb',
    'windows/old/20251201-000000-cccc',
  ]);
});

test('runDirs: folders of runs and run folders together, each run once; paths that are no folder are left to loadRun', () => {
  const root = tree();
  const linux = path.join(root, 'linux');
  const run = path.join(linux, '20260101-000000-aaaa');
  assert.equal(rel(root, runDirs([linux, run, path.join(root, 'windows')])), [
    'linux/20260101-000000-aaaa',
    'windows/20260102-000000-bbbb',
    'windows/old/20251201-000000-cccc',
  ]);
  const missing = path.join(root, 'missing');
  const file = path.join(root, 'plain');
  writeFileSync(file, 'x');
  assert.equal(runDirs([missing, file]), [missing, file]);
});

test('runDirs: a folder with no run in it or below it is a usage error naming it', () => {
  const root = tree();
  assert.throws(
    () => runDirs([path.join(root, 'empty')]),
    (e: Error) => e instanceof UsageError && /^cannot report '.*empty': no result\.json in it or below it$/.test(e.message),
  );
});

test('parse: one folder holding several runs needs --out, and says where it found them', () => {
  const root = tree();
  assert.throws(
    () => report.parse({}, [root]),
    (e: Error) => e instanceof UsageError && /^3 result folders \(found under '.*'\) need --out DIR/.test(e.message),
  );
  const site = path.join(root, 'site');
  assert.equal(rel(root, report.parse({ out: site }, [path.join(root, 'linux'), path.join(root, 'windows')]).dirs), [
    'linux/20260101-000000-aaaa',
    'windows/20260102-000000-bbbb',
    'windows/old/20251201-000000-cccc',
  ]);
  // a folder of one run re-renders that run in place
  assert.equal(rel(root, report.parse({}, [path.join(root, 'linux')]).dirs), ['linux/20260101-000000-aaaa']);
});

test.run();
