// runner/code-snapshot.ts: what a running bench forks from is a copy of the build, taken at start.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { snapshotCode, sweepSnapshots } from '../../runner/code-snapshot.js';

const CACHE = ['node_modules', '.cache', 'cluster-sched-bench'];

/** A checkout with a tiny dist/: code, a test build and a source map. */
function fakeRoot(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'csb-snap-'));
  for (const [file, text] of [
    ['dist/runner/cluster/primary.js', 'export const v = 1;\n'],
    ['dist/runner/cluster/primary.js.map', '{}'],
    ['dist/test/x.test.js', 'throw 1;\n'],
  ]) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

test('the copy holds the build minus its tests, as an ES module scope, beside node_modules', () => {
  const root = fakeRoot();
  const s = snapshotCode(root);
  try {
    assert.ok(s.dir.startsWith(path.join(root, ...CACHE)), s.dir);
    assert.is(path.basename(s.dir).startsWith(`code-${process.pid}-`), true);
    const primary = s.file('runner/cluster/primary.js');
    assert.is(primary, path.join(s.dir, 'runner', 'cluster', 'primary.js'));
    assert.is(readFileSync(primary, 'utf8'), 'export const v = 1;\n');
    assert.ok(existsSync(`${primary}.map`));
    assert.not.ok(existsSync(path.join(s.dir, 'test')), 'the tests are not copied');
    assert.is(JSON.parse(readFileSync(path.join(s.dir, 'package.json'), 'utf8')).type, 'module');
  } finally {
    s.remove();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a rebuild after the copy changes dist/, not the copy', () => {
  const root = fakeRoot();
  const s = snapshotCode(root);
  try {
    writeFileSync(path.join(root, 'dist/runner/cluster/primary.js'), 'export const v = 2;\n');
    rmSync(path.join(root, 'dist/runner/cluster/primary.js.map'));
    assert.is(readFileSync(s.file('runner/cluster/primary.js'), 'utf8'), 'export const v = 1;\n');
    assert.ok(existsSync(s.file('runner/cluster/primary.js.map')));
  } finally {
    s.remove();
    rmSync(root, { recursive: true, force: true });
  }
});

test('a dist/ that is a link (a checkout sharing a build) is copied as files', () => {
  const real = fakeRoot();
  const root = mkdtempSync(path.join(os.tmpdir(), 'csb-snap-link-'));
  symlinkSync(path.join(real, 'dist'), path.join(root, 'dist'), 'junction');
  const s = snapshotCode(root);
  try {
    assert.ok(s.dir.startsWith(path.join(root, ...CACHE)), 'beside the linking checkout');
    assert.is(readFileSync(s.file('runner/cluster/primary.js'), 'utf8'), 'export const v = 1;\n');
    assert.not.ok(lstatSync(s.file('runner/cluster/primary.js')).isSymbolicLink());
    assert.not.ok(existsSync(path.join(s.dir, 'test')), 'the tests are not copied');
  } finally {
    s.remove();
    rmSync(root, { recursive: true, force: true });
    rmSync(real, { recursive: true, force: true });
  }
});

test('remove() deletes the copy; two copies in one process do not collide', () => {
  const root = fakeRoot();
  const a = snapshotCode(root);
  const b = snapshotCode(root);
  assert.is.not(a.dir, b.dir);
  a.remove();
  assert.not.ok(existsSync(a.dir));
  assert.ok(existsSync(b.dir));
  b.remove();
  rmSync(root, { recursive: true, force: true });
});

test('a new start sweeps the copies of dead processes, not live ones', () => {
  const root = fakeRoot();
  const cache = path.join(root, ...CACHE);
  // pid 2^22 + 1 is above Linux's pid_max limit and far above any macOS or Windows pid: never alive.
  const dead = path.join(cache, `code-${2 ** 22 + 1}-0`);
  const live = path.join(cache, `code-${process.pid}-99`);
  const other = path.join(cache, 'notes');
  for (const d of [dead, live, other]) mkdirSync(d, { recursive: true });
  sweepSnapshots(cache);
  assert.not.ok(existsSync(dead), 'a dead process copy is removed');
  assert.ok(existsSync(live), 'this process copy stays');
  assert.ok(existsSync(other), 'what is not a copy stays');
  sweepSnapshots(path.join(root, 'missing')); // no cache folder yet: nothing to do, no throw
  rmSync(root, { recursive: true, force: true });
});

test.run();
