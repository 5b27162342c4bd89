// renameRetrying: on Windows, a rename refused while a scanner holds the new file (EPERM, EBUSY,
// EACCES) is tried again after a short wait, within a bound; anything else, or any platform but
// win32, throws at once. The rename and the wait are injected: no file, no real sleep.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { type RenameRetry, renameRetrying } from '../../format/rename.js';

const fail = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: rename`), { code });

/** A rename that fails with `codes` in turn, then succeeds; records attempts and waits. */
function fake(codes: string[], o: RenameRetry = {}) {
  const calls: Array<[string, string]> = [];
  const waits: number[] = [];
  const options: RenameRetry = {
    platform: 'win32',
    ...o,
    rename: (from, to) => {
      calls.push([from, to]);
      const code = codes[calls.length - 1];
      if (code !== undefined) throw fail(code);
    },
    sleep: (ms) => waits.push(ms),
  };
  return { calls, waits, options };
}

test('win32: EPERM, EBUSY and EACCES are retried, with a growing wait, until the rename succeeds', () => {
  const f = fake(['EPERM', 'EBUSY', 'EACCES']);
  renameRetrying('a.tmp', 'a', f.options);
  assert.is(f.calls.length, 4);
  assert.equal(f.calls[3], ['a.tmp', 'a']);
  assert.equal(f.waits, [10, 20, 30]);
});

test('win32: success at the first attempt waits for nothing', () => {
  const f = fake([]);
  renameRetrying('a.tmp', 'a', f.options);
  assert.equal([f.calls.length, f.waits], [1, []]);
});

test('win32: gives up once the waits reach the budget, throwing the last error', () => {
  const f = fake(new Array(1000).fill('EBUSY'));
  assert.throws(
    () => renameRetrying('a.tmp', 'a', f.options),
    (e: NodeJS.ErrnoException) => e.code === 'EBUSY',
  );
  assert.is(
    f.waits.reduce((a, b) => a + b, 0),
    2000,
    'about 2 s of waiting in all',
  );
  assert.ok(Math.max(...f.waits) <= 100, 'no single wait above 100 ms');
  assert.is(f.calls.length, f.waits.length + 1, 'one attempt after the last wait');
  // 10, 20, ..., 100 (550 ms), then 100 ms steps to 2000: 10 + 15 waits, 26 attempts.
  assert.is(f.calls.length, 26);
});

test('win32: a smaller budget bounds the waits, the last one cut to fit', () => {
  const f = fake(new Array(100).fill('EPERM'), { budgetMs: 25 });
  assert.throws(() => renameRetrying('a.tmp', 'a', f.options), /EPERM/);
  assert.equal(f.waits, [10, 15]);
  assert.is(f.calls.length, 3);
});

test('other errors are thrown at once, never retried', () => {
  for (const code of ['ENOENT', 'EXDEV', 'ENOSPC', 'EISDIR']) {
    const f = fake([code]);
    assert.throws(
      () => renameRetrying('a.tmp', 'a', f.options),
      (e: NodeJS.ErrnoException) => e.code === code,
    );
    assert.equal([f.calls.length, f.waits], [1, []], code);
  }
});

test('off Windows, EPERM is a real permission problem: thrown at once', () => {
  for (const platform of ['linux', 'darwin'] as const) {
    const f = fake(['EPERM'], { platform });
    assert.throws(() => renameRetrying('a.tmp', 'a', f.options), /EPERM/);
    assert.is(f.calls.length, 1, platform);
  }
});

test('the real rename (defaults) moves a file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'csb-rename-'));
  try {
    writeFileSync(path.join(dir, 'a.tmp'), 'x');
    renameRetrying(path.join(dir, 'a.tmp'), path.join(dir, 'a'));
    assert.is(readFileSync(path.join(dir, 'a'), 'utf8'), 'x');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
