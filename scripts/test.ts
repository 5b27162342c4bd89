// `npm test`: run every uvu suite in dist/test (compiled by tsc just before) and end with the
// plain line CI reads: "N passed, N failed, N skipped". An optional argument is a regex that the
// test file paths must also match.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
const uvu = path.join(root, 'node_modules', 'uvu', 'bin.js'); // uvu exports no package.json to resolve
// A subset pattern ('cli') still selects only test files, never their .js.map beside them.
const pattern = `^(?=.*(?:${process.argv[2] ?? ''})).*\\.test\\.js$`;
const r = spawnSync(process.execPath, ['--enable-source-maps', uvu, path.join('dist', 'test'), pattern, '--no-color'], {
  cwd: root,
  encoding: 'utf8',
  env: { ...process.env, NO_COLOR: '1' },
  maxBuffer: 64 * 1024 * 1024,
});
process.stdout.write(r.stdout ?? '');
process.stderr.write(r.stderr ?? '');
const num = (label: string): number => Number((r.stdout.match(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'm')) ?? [])[1] ?? NaN);
const total = num('Total');
const passed = num('Passed');
const skipped = num('Skipped') || 0;
if (Number.isFinite(total) && Number.isFinite(passed)) {
  const failed = total - passed;
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
  process.exit(r.status === 0 && failed === 0 ? 0 : 1);
}
console.log('0 passed, 1 failed'); // uvu crashed before its summary (import error, syntax error)
process.exit(1);
