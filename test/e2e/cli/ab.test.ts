// A/B in one run (--baseline-node, --baseline-strategy-file, --baseline-checkout): both sides of
// every repetition run back to back in ABBA order after the warm-up, the run folder holds both,
// and `compare RUN` compares them pair by pair. Bad baselines are exit 2, one line.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RunResult } from '../../../format/schema.js';
import { leftAlive, runCli } from '../../helpers/cli.js';
import { ROOT } from '../../helpers/schema.js';

const SAMPLE = fileURLToPath(new URL('../../../../docs/examples/fewest-served.js', import.meta.url));
const COMPARE = fileURLToPath(new URL('../../../scripts/compare.js', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-ab-'));
const out = path.join(tmp, 'results');
const ARGS = ['--workers', '2', '--connections', '40', '--rounds', '2', '--server', 'http', '--no-report', '--json', '--out', out];

test.after(() => rmSync(tmp, { recursive: true, force: true }));

const order = (r: RunResult): string[] =>
  r.strategies.map((s) => `${s.name}@${'variant' in s ? s.variant : '-'}#${'rep' in s ? s.rep : 0}`);

test('--baseline-node: each repetition on both sides in ABBA order, a warm-up not counted, compare pairs them', async () => {
  const r = await runCli(['--policy', 'rr', '--runs', '3', '--baseline-node', process.execPath, ...ARGS]);
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.equal(order(result), ['rr@baseline#1', 'rr@current#1', 'rr@current#2', 'rr@baseline#2', 'rr@baseline#3', 'rr@current#3']);
  assert.equal(result.options.warmup, 1);
  assert.equal(
    result.warmups?.map((w) => `${w.name}@${w.variant}`),
    ['rr@current', 'rr@baseline'],
    'the warm-up (rep 0, even) runs current first',
  );
  assert.is(result.env.baseline?.clusterNode, process.version);
  assert.match(r.stderr, /A\/B: baseline Node v\d+\.\d+\.\d+ vs v\d+/);
  assert.match(r.stderr, /warm-up rr@baseline: \d+ req\/s \(not counted\)/);
  assert.ok((result.strategies as MeasuredStrategy[]).every((s) => s.totals.accounted));
  const dir = path.join(out, result.runId);
  const c = spawnSync(process.execPath, [COMPARE, dir, '--json'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  assert.ok(c.status === 0 || c.status === 1, c.stderr);
  const doc = JSON.parse(c.stdout);
  assert.is(doc.paired, true);
  assert.is(doc.family, 10, 'one strategy x 10 metrics, each tested on 3 pairs');
  assert.equal(
    doc.rows.filter((x: { gate?: boolean }) => x.gate).map((x: { metric: string; verdict: string }) => `${x.metric} ${x.verdict}`),
    ['failures same', 'timeouts same', 'unaccounted same', 'incomplete same'],
  );
  assert.match(c.stderr, /paired: each repetition ran on both sides back to back/);
  assert.equal(await leftAlive(r.descendants), []);
});

test('--baseline-strategy-file: the two files fill one slot (the current name), each with its own hash', async () => {
  const other = path.join(tmp, 'other.js');
  writeFileSync(other, readFileSync(SAMPLE, 'utf8').replace("name: 'fewest-served'", "name: 'older-fewest'"));
  const r = await runCli(['--strategy-file', SAMPLE, '--baseline-strategy-file', other, '--runs', '1', '--warmup', '0', ...ARGS]);
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.equal(order(result), ['fewest-served@baseline#1', 'fewest-served@current#1']);
  const [b, c] = result.strategies as MeasuredStrategy[];
  assert.is(b.source?.file, other);
  assert.is(c.source?.file, SAMPLE);
  assert.not.equal(b.source?.sha256, c.source?.sha256);
  assert.is(result.warmups, undefined);
});

test("--baseline-checkout: the other checkout's primary is the one forked", async () => {
  // A checkout whose build and install are ours, by link: enough to see its primary module used (and its
  // protocol checked). The run forks it from a copy beside its node_modules, as for any built checkout.
  const checkout = path.join(tmp, 'checkout');
  mkdirSync(checkout);
  writeFileSync(path.join(checkout, 'package.json'), JSON.stringify({ name: 'cluster-sched-bench', version: '0.0.9' }));
  symlinkSync(path.join(ROOT, 'dist'), path.join(checkout, 'dist'), 'junction');
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(checkout, 'node_modules'), 'junction');
  const r = await runCli(['--policy', 'rr', '--runs', '1', '--warmup', '0', '--baseline-checkout', checkout, ...ARGS]);
  assert.is(r.code, 0, r.stderr);
  const result = JSON.parse(r.stdout) as RunResult;
  assert.equal(order(result), ['rr@baseline#1', 'rr@current#1']);
  assert.is(result.options.baseline?.checkout, checkout);
  assert.is(result.env.baseline?.toolVersion, '0.0.9');
  assert.match(r.stderr, /A\/B: baseline checkout .*checkout/);
});

const bad: Array<{ args: string[]; line: RegExp }> = [
  { args: ['--baseline-strategy-file', SAMPLE], line: /^error: --baseline-strategy-file needs --strategy-file\n$/ },
  { args: ['--baseline-node', '/no/such/node'], line: /^error: invalid --baseline-node '\/no\/such\/node': no such file/ },
  { args: ['--baseline-checkout', os.tmpdir()], line: /^error: invalid --baseline-checkout '.*': no package.json there/ },
];
for (const c of bad)
  test(`bench ${c.args.join(' ')} -> exit 2, one line`, async () => {
    const r = await runCli([...c.args, ...ARGS]);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, c.line);
    assert.is(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  });

test('--target: no cluster is started, so no baseline side either: exit 2', async () => {
  const r = await runCli(['--target', 'http://127.0.0.1:1', '--baseline-node', process.execPath, '--out', out]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^error: --baseline-node .*not started by this run/);
});

test('a checkout that is not built, or speaks another protocol: exit 2, what to do', async () => {
  const unbuilt = path.join(tmp, 'unbuilt');
  mkdirSync(unbuilt);
  writeFileSync(path.join(unbuilt, 'package.json'), JSON.stringify({ name: 'cluster-sched-bench' }));
  let r = await runCli(['--baseline-checkout', unbuilt, ...ARGS]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /it is not built \(no dist.runner.cluster.primary\.js\): run 'npm ci && npm run build' in it first/);
  const old = path.join(tmp, 'old');
  mkdirSync(path.join(old, 'dist', 'runner', 'cluster'), { recursive: true });
  writeFileSync(path.join(old, 'package.json'), JSON.stringify({ name: 'cluster-sched-bench' }));
  writeFileSync(path.join(old, 'dist', 'runner', 'cluster', 'primary.js'), '');
  writeFileSync(path.join(old, 'dist', 'runner', 'cluster', 'protocol.js'), 'export const PROTOCOL_VERSION = 0;\n');
  r = await runCli(['--baseline-checkout', old, ...ARGS]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /speaks protocol 0, this runner 1/);
});

test.run();
