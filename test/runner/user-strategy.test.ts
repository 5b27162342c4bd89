// Loading a strategy file (--strategy-file) in process; test/e2e/cli/strategy-file.test.ts runs them.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadUserStrategy } from '../../runner/user-strategy.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-user-unit-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

/** A module file in the temp folder. */
function moduleFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

test('loadUserStrategy: a strategy with needsCloses true gets it; the hash is of the bytes', async () => {
  const text =
    "export const strategy = { name: 'lc-too', description: 'd', needsCloses: true, createPicker: () => ({ pick: () => 0 }) };\n";
  const s = await loadUserStrategy(moduleFile('named.js', text));
  assert.equal([s.name, s.kind, s.needsCloses, s.sha256], ['lc-too', 'user', true, createHash('sha256').update(text).digest('hex')]);
});

test.run();
