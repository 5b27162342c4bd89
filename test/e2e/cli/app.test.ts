// --app FILE: the user's own service as the worker app. The documented samples run end to end
// (every request accounted, the app's file and hash in the result, the pid header added around
// it); a bad module is exit 2 with one line before any cluster starts.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measured, type RunResult } from '../../../format/schema.js';
import { leftAlive, runCli } from '../../helpers/cli.js';

const example = (name: string): string => fileURLToPath(new URL(`../../../../docs/examples/${name}`, import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-app-'));
const out = path.join(tmp, 'results');
const ARGS = ['--workers', '2', '--connections', '40', '--rounds', '3', '--no-report', '--json', '--out', out];
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('the node:http sample (JSON and gzip work) under rr, none and least-connections: all accounted, the app recorded', async () => {
  const app = example('json-app.js');
  const r = await runCli(['--app', app, '--policy', 'rr,none,lc', ...ARGS]);
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.equal(result.options.app, { file: app, sha256: createHash('sha256').update(readFileSync(app)).digest('hex') });
  assert.equal(
    measured(result.strategies).map((s) => s.name),
    ['rr', 'none', 'least-connections'],
  );
  for (const s of measured(result.strategies)) {
    assert.ok(s.totals.accounted && s.totals.ok === 120 && s.totals.errors === 0, `${s.name}: ${JSON.stringify(s.totals)}`);
    // Every answer carried a worker pid (the header the tool adds): the workers' counts reconcile with the client's.
    assert.is(
      s.perWorker.reduce((a, w) => a + w.client, 0),
      120,
    );
  }
  assert.match(r.stderr, /app json-app\.js \(sha256 [0-9a-f]{12}\)/);
  assert.equal(await leftAlive(r.descendants), []);
});

test('the fastify plugin sample runs the same way', async () => {
  const r = await runCli(['--app', example('fastify-app.js'), '--policy', 'rr', ...ARGS]);
  assert.is(r.code, 0, r.stderr);
  const [s] = measured((JSON.parse(r.stdout) as RunResult).strategies);
  assert.ok(s.totals.accounted && s.totals.ok === 120, JSON.stringify(s.totals));
});

const broken: Array<{ name: string; text: string; why: RegExp }> = [
  { name: 'empty.js', text: 'export const x = 1;\n', why: /it exports none of: `export default/ },
  { name: 'throws.js', text: "throw new Error('no config');\n", why: /cannot load it as an ES module: no config/ },
  {
    name: 'create-throws.js',
    text: "export async function create() { throw new Error('db down'); }\n",
    why: /its create\(\) threw: db down/,
  },
  { name: 'silent.js', text: 'export default function handler(req, res) {}\n', why: /did not load and answer a trial GET \/ within 5 s/ },
  { name: 'number.js', text: 'export default 42;\n', why: /its default export is number, not a request listener or \{ plugin \}/ },
];

test('a broken app: exit 2, one line naming the file and what is wrong, no cluster started, nothing written', async () => {
  for (const b of broken) {
    const file = path.join(tmp, b.name);
    writeFileSync(file, b.text);
    const dir = path.join(tmp, `out-${b.name}`);
    const r = await runCli(['--app', file, '--policy', 'rr', '--workers', '2', '--connections', '10', '--rounds', '1', '--out', dir]);
    assert.is(r.code, 2, `${b.name}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.is(lines.length, 1, r.stderr);
    assert.match(lines[0], new RegExp(`invalid --app '${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}': `));
    assert.match(lines[0], b.why);
    assert.ok(!existsSync(dir) || readdirSync(dir).length === 0, `${b.name}: something was written`);
    assert.equal(await leftAlive(r.descendants), []);
  }
});

test('--app with --server or --work, or a missing file: exit 2 at once', async () => {
  for (const [args, line] of [
    [['--server', 'http'], /--server does not go with --app/],
    [['--work', 'cpu:1'], /--work does not go with --app/],
  ] as const) {
    const r = await runCli(['--app', example('json-app.js'), ...args, '--out', path.join(tmp, 'x')]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, line);
  }
  const r = await runCli(['--app', path.join(tmp, 'nope.js')]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /invalid --app '.*nope\.js': cannot read it \(ENOENT\)/);
});

test.run();
