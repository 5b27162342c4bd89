// scripts/lib/freshness.ts: a command says when the sources are newer than the build.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { newerSource, staleBuildWarning } from '../../scripts/lib/freshness.js';

function root(files: Record<string, number>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'csb-fresh-'));
  writeFileSync(path.join(dir, 'tsconfig.build.json'), JSON.stringify({ include: ['format', 'runner', 'reports'] }));
  for (const [file, ageS] of Object.entries(files)) {
    const f = path.join(dir, file);
    mkdirSync(path.dirname(f), { recursive: true });
    writeFileSync(f, '');
    const t = Date.now() / 1000 - ageS;
    utimesSync(f, t, t);
  }
  return dir;
}

test('a build newer than every source: nothing to say', () => {
  const dir = root({ 'dist/runner/run.js': 10, 'runner/run.ts': 60, 'format/io.ts': 60 });
  assert.is(newerSource(dir), undefined);
  rmSync(dir, { recursive: true });
});

test('the newest source changed after the build is named', () => {
  const dir = root({ 'dist/runner/run.js': 60, 'runner/run.ts': 120, 'format/io.ts': 20, 'reports/x/y.ts': 10 });
  assert.is(newerSource(dir), path.join('reports', 'x', 'y.ts'));
  assert.match(
    staleBuildWarning(path.join('reports', 'x', 'y.ts')),
    "dist/ is older than reports/x/y.ts: running the code built before; 'npm run build'",
  );
  rmSync(dir, { recursive: true });
});

test('tests and non-TypeScript files do not count; no build at all is not this check', () => {
  const dir = root({ 'dist/runner/run.js': 60, 'test/a.test.ts': 1, 'runner/notes.md': 1 });
  assert.is(newerSource(dir), undefined);
  const unbuilt = root({ 'runner/run.ts': 1 });
  assert.is(newerSource(unbuilt), undefined);
  rmSync(dir, { recursive: true });
  rmSync(unbuilt, { recursive: true });
});

test("the sources are the build config's include; without one (not a checkout) nothing is checked", () => {
  const dir = root({ 'dist/runner/run.js': 60, 'sim/x.ts': 1 });
  assert.is(newerSource(dir), undefined, 'sim/ is not in this build config');
  rmSync(path.join(dir, 'tsconfig.build.json'));
  writeFileSync(path.join(dir, 'runner.ts'), '');
  assert.is(newerSource(dir), undefined);
  rmSync(dir, { recursive: true });
});

test.run();
