// A result file missing a required field, through the real CLI (`npm run report` as a process):
// exit 2, one line naming the file and the JSON path, nothing written. Every other field is
// removed and mistyped in process by test/format/result-fields.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { tempDir } from '../../reports/fixtures.js';

const FIXTURES = fileURLToPath(new URL('../../../../test/fixtures/results/', import.meta.url));
const CLI = fileURLToPath(new URL('../../../scripts/report.js', import.meta.url));
const root = tempDir('csb-fields-cli-');
test.after(() => rmSync(root, { recursive: true, force: true }));

test('the cpuMs case through the real CLI: strategies[2].cpuMs: required, exit 2, nothing written', () => {
  const bad = JSON.parse(readFileSync(path.join(FIXTURES, 'burst-v1.json'), 'utf8'));
  delete bad.strategies[2].cpuMs;
  const dir = path.join(root, 'cpums');
  mkdirSync(dir);
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify(bad));
  const r = spawnSync(process.execPath, [CLI, dir], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.is(r.status, 2);
  assert.is(r.stderr, `error: bad result file ${path.join(dir, 'result.json')}: strategies[2].cpuMs: required\n`);
  assert.equal(readdirSync(dir), ['result.json'], 'no report files');
});

test.run();
