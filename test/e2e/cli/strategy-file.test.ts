// Strategies users write (--strategy-file): the documented sample runs end to end like a built-in
// (kind user, the file's hash recorded); a broken module is exit 2 with one line before anything
// starts; one that breaks during the run is a problem in the result (its connections still served).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RunResult } from '../../../format/schema.js';
import { leftAlive, runCli } from '../../helpers/cli.js';

const SAMPLE = fileURLToPath(new URL('../../../../docs/examples/fewest-served.js', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-user-'));
const out = path.join(tmp, 'results');
const ARGS = ['--workers', '2', '--connections', '60', '--rounds', '3', '--server', 'http', '--no-report', '--json', '--out', out];

test.after(() => {
  rmSync(tmp, { recursive: true, force: true });
});

/** A module file in the temp folder. */
function moduleFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  writeFileSync(file, text);
  return file;
}

test('the sample from docs/strategies.md runs end to end beside rr: kind user, its file and hash recorded, every request accounted', async () => {
  const r = await runCli(['--strategy-file', SAMPLE, '--policy', 'rr', ...ARGS]);
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.equal(
    result.strategies.map((s) => s.name),
    ['rr', 'fewest-served'],
  );
  const user = result.strategies[1] as MeasuredStrategy;
  assert.is(user.kind, 'user');
  assert.equal(user.source, { file: SAMPLE, sha256: createHash('sha256').update(readFileSync(SAMPLE)).digest('hex') });
  assert.is(result.options.strategyFile, SAMPLE);
  assert.ok(user.totals.accounted && user.totals.errors === 0, user.problems.join('; '));
  // fewest served so far, nothing closing: exactly even.
  assert.equal(
    user.perWorker.map((w) => w.client),
    [90, 90],
  );
  assert.equal(await leftAlive(r.descendants), []);
});

test('alone: --strategy-file without --policy runs only the user strategy', async () => {
  const r = await runCli(['--strategy-file', SAMPLE, ...ARGS]);
  assert.is(r.code, 0, r.stderr);
  assert.equal(
    (JSON.parse(r.stdout) as RunResult).strategies.map((s) => s.name),
    ['fewest-served'],
  );
});

const broken: Array<{ name: string; text: string; why: string }> = [
  { name: 'no-export.js', text: 'export const x = 1;\n', why: 'it must export a strategy object' },
  { name: 'syntax.js', text: 'export default {\n', why: 'cannot load it as an ES module: ' },
  {
    name: 'no-picker.js',
    text: "export default { name: 'x1', description: 'd' };\n",
    why: 'createPicker must be a function, got undefined',
  },
  {
    name: 'bad-index.js',
    text: "export default { name: 'x2', description: 'd', createPicker: () => ({ pick: (loads) => loads.length }) };\n",
    why: 'pick() returned number 1 with 1 workers (valid: a whole number from 0 to 0)',
  },
  {
    name: 'throws.js',
    text: "export default { name: 'x3', description: 'd', createPicker: () => ({ pick: () => { throw new Error('boom'); } }) };\n",
    why: 'pick() threw with 1 workers: boom',
  },
  {
    name: 'builtin-name.js',
    text: "export default { name: 'rr', description: 'd', createPicker: () => ({ pick: () => 0 }) };\n",
    why: "name 'rr' is a built-in strategy's; choose another",
  },
  {
    name: 'bad-name.js',
    text: "export default { name: 'My Picker', description: 'd', createPicker: () => ({ pick: () => 0 }) };\n",
    why: 'name must be lowercase letters, digits and dashes, starting with a letter, up to 40, got string "My Picker"',
  },
  {
    name: 'loops.js',
    text: "export default { name: 'x4', description: 'd', createPicker: () => ({ pick: () => { while (true) {} } }) };\n",
    why: 'loading it and 250 trial picks did not finish within 5 s',
  },
  {
    name: 'loads-forever.js',
    text: "while (true) {}\nexport default { name: 'x5', description: 'd', createPicker: () => ({ pick: () => 0 }) };\n",
    why: 'loading it and 250 trial picks did not finish within 5 s',
  },
];

for (const b of broken)
  test(`a broken module (${b.name}) is exit 2, one line naming the file and what is wrong; nothing started or written`, async () => {
    const file = moduleFile(b.name, b.text);
    const dir = path.join(tmp, `out-${b.name}`);
    const t0 = Date.now();
    const r = await runCli(['--strategy-file', file, ...ARGS.slice(0, -1), dir]);
    assert.is(r.code, 2, r.stderr);
    assert.ok(Date.now() - t0 < 10_000, `refused within 10 s, took ${Date.now() - t0} ms`);
    assert.is(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.is(lines.length, 1, r.stderr);
    assert.ok(lines[0].startsWith(`error: invalid --strategy-file '${file}': ${b.why}`), lines[0]);
    assert.ok(lines[0].endsWith('(see docs/strategies.md)'), lines[0]);
    assert.is(existsSync(dir), false, 'nothing written');
    assert.equal(
      [...r.descendants.values()].filter((c) => c.includes('primary.js')),
      [],
      'no cluster started',
    );
  });

test('a strategy that breaks during the run: its bad picks counted and named, the connections still served round-robin, exit 1', async () => {
  // Fine for the trial (at most 50 picks per picker), then, once worker 0 has been handed 60, every 10th pick returns -1.
  const file = moduleFile(
    'later.js',
    "export default { name: 'later', description: 'breaks later', createPicker: () => ({ pick: (l) => (l[0].served >= 60 && l[0].served % 10 === 0 ? -1 : 0) }) };\n",
  );
  const r = await runCli(['--strategy-file', file, ...ARGS]);
  assert.is(r.code, 1, r.stderr);
  const s = (JSON.parse(r.stdout) as RunResult).strategies[0] as MeasuredStrategy;
  assert.is(s.totals.ok, 180, 'every connection still served');
  assert.ok((s.dispatch?.pickErrors ?? 0) > 0, JSON.stringify(s.dispatch));
  assert.is(s.dispatch?.firstPickError, 'pick returned -1 for 2 workers (valid: 0 to 1)');
  assert.match(s.problems.join('\n'), /the strategy's pick failed \d+ times \(first: pick returned -1 for 2 workers/);
});

test('a strategy whose pick starts looping mid-run: that strategy ends as a problem within its deadline, the next still runs, exit 1, nothing left', async () => {
  // Passes the trial (50 picks at most per picker), then loops once worker 0 has been handed 60: in round 2.
  const file = moduleFile(
    'loop-later.js',
    "export default { name: 'loop-later', description: 'd', createPicker: () => ({ pick: (l) => { if (l[0].served >= 60) while (true) {} return 0; } }) };\n",
  );
  const args = [
    '--strategy-file',
    file,
    '--policy',
    'rr',
    '--runs',
    '2',
    '--rounds',
    '2',
    '--connections',
    '40',
    '--round-timeout',
    '1000',
  ];
  const t0 = Date.now();
  const r = await runCli([...args, '--workers', '2', '--server', 'http', '--no-report', '--json', '--out', out], { timeoutMs: 120_000 });
  assert.is(r.code, 1, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.equal(
    result.strategies.map((s) => `${s.name} #${(s as MeasuredStrategy).rep ?? 1}`),
    ['rr #1', 'loop-later #1', 'rr #2', 'loop-later #2'],
    'the run went on after the stuck strategy',
  );
  for (const s of result.strategies as MeasuredStrategy[]) {
    if (s.name === 'rr') assert.ok(s.totals.accounted && s.incomplete === undefined, s.problems.join('; '));
    else {
      assert.match(s.incomplete ?? '', /its primary stopped answering/);
      assert.match(s.problems.join('\n'), /no snapshot reply from the primary within 5000 ms/);
    }
  }
  assert.ok(Date.now() - t0 < 90_000, `took ${Date.now() - t0} ms`);
  assert.equal(await leftAlive(r.descendants, 3000), [], 'no process left');
});

test.run();
