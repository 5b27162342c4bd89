// `npm run report` as a user runs it: spawn the compiled CLI; exit code, stderr and files written.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fourStrategies, runFolder, tempDirsUntil, tiny } from '../../reports/fixtures.js';

const tempDir = tempDirsUntil(test.after);

const CLI = fileURLToPath(new URL('../../../scripts/report.js', import.meta.url));

function report(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Every file under `dir`, relative, sorted. */
const files = (dir: string): string[] =>
  (
    readdirSync(dir, { recursive: true, withFileTypes: true }) as Array<{
      isFile(): boolean;
      parentPath?: string;
      path: string;
      name: string;
    }>
  )
    .filter((e) => e.isFile())
    .map((e) =>
      path
        .relative(dir, path.join(e.parentPath ?? e.path, e.name))
        .split(path.sep)
        .join('/'),
    )
    .sort();

const usageErrors: Array<[string, (root: string) => string[], RegExp]> = [
  ['a missing folder', (root) => [path.join(root, 'does-not-exist')], /^error: cannot report '.*does-not-exist': no such folder\n$/],
  [
    'a folder with no result.json in it or below it',
    (root) => {
      mkdirSync(path.join(root, 'empty', 'sub'), { recursive: true });
      return [path.join(root, 'empty')];
    },
    /^error: cannot report '.*empty': no result\.json in it or below it\n$/,
  ],
  [
    'a folder of two runs without --out',
    (root) => {
      runFolder(path.join(root, 'results', 'linux'), 'a', tiny());
      runFolder(path.join(root, 'results', 'windows'), 'b', tiny());
      return [path.join(root, 'results')];
    },
    /^error: 2 result folders \(found under '.*results'\) need --out DIR/,
  ],
  [
    'corrupted JSON',
    (root) => [runFolder(root, 'bad', '{"schemaVersion": 1, "runId": ')],
    /^error: bad result file .*bad[\\/]result\.json: not valid JSON \(.+\)\n$/,
  ],
  [
    'an unknown schemaVersion',
    (root) => [runFolder(root, 'v9', JSON.stringify({ ...tiny(), schemaVersion: 9 }))],
    /^error: bad result file .*v9[\\/]result\.json: unsupported schemaVersion 9 \(this version reads 1\)\n$/,
  ],
  ['no folder at all', () => [], /^error: give at least one result folder/],
  ['two folders without --out', (root) => [runFolder(root, 'a', tiny()), runFolder(root, 'b', tiny())], /2 result folders need --out DIR/],
  ['an unknown flag', () => ['--nope'], /^error: unknown flag '--nope' \(see --help\)\n$/],
  [
    '--out under a regular file',
    (root) => {
      writeFileSync(path.join(root, 'plain'), 'x');
      return [runFolder(root, 'a', tiny()), '--out', path.join(root, 'plain', 'site')];
    },
    /^error: cannot write the site to --out '.*plain[\\/]site': .*plain is not a directory\n$/,
  ],
];

for (const [name, args, expected] of usageErrors) {
  test(`exit 2, one line on stderr, nothing written: ${name}`, () => {
    const root = tempDir();
    const argv = args(root);
    const before = files(root);
    const r = report(...argv);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, expected);
    assert.is(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.is(r.stdout, '');
    assert.equal(files(root), before);
  });
}

test('a bad folder among good ones: exit 2 and nothing written, not even for the good ones or the site', () => {
  const root = tempDir();
  const good = runFolder(root, 'good', tiny());
  const bad = runFolder(root, 'bad', JSON.stringify({ ...tiny(), env: { platform: 'linux' } }));
  const before = files(root);
  const r = report(good, bad, '--out', path.join(root, 'site'));
  assert.is(r.code, 2);
  assert.match(r.stderr, /bad result file .*bad[\\/]result\.json: env\.release: required/);
  assert.equal(files(root), before);
});

test('one folder re-renders in place: report.html, report.md and one SVG per chart', () => {
  const root = tempDir();
  const dir = runFolder(root, 'run1', fourStrategies(), 'strategy,round,pid,status,latency_us,error\n');
  const r = report(dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /^report: .*run1[\\/]report\.html \(\d+ ms\)\n$/);
  assert.equal(files(dir), [
    'fairness-time.svg',
    'fairness.svg',
    'heatmap.svg',
    'latency.svg',
    'report.html',
    'report.md',
    'requests.csv',
    'result.json',
    'seed.svg',
    'shares.svg',
    'tradeoff.svg',
    'worker-latency.svg',
  ]);
  const md = readFileSync(path.join(dir, 'report.md'), 'utf8');
  assert.match(md, /\| strategy \| shares % \| Jain \|/);
  assert.match(md, /\| none \| 55\.0\/45\.0 \|/);
  assert.match(md, /!\[Requests served per round, per worker\]\(seed\.svg\)/);
  const html = readFileSync(path.join(dir, 'report.html'), 'utf8');
  assert.match(html, /<a href="result\.json">result\.json<\/a>/);
  assert.match(html, /<a href="requests\.csv">/);
});

test('--out: a static site with index.html, one page per run, a comparison page; every link relative and present', () => {
  const root = tempDir();
  const a = runFolder(
    root,
    'linux-node20',
    fourStrategies({ label: 'linux node20' }, 'ra'),
    'strategy,round,pid,status,latency_us,error\n',
  );
  const b = runFolder(root, 'linux-node22', fourStrategies({ label: 'linux node22', node: 'v22.23.3' }, 'rb'));
  const out = path.join(root, 'site');
  const r = report(a, b, '--out', out);
  assert.is(r.code, 0, r.stderr);
  const all = files(out);
  for (const f of [
    'index.html',
    'compare/report.html',
    'compare/report.md',
    'compare/seed.svg',
    'runs/linux-node20/report.html',
    'runs/linux-node20/result.json',
    'runs/linux-node20/requests.csv',
    'runs/linux-node22/seed.svg',
    'runs/linux-node22/result.json',
  ])
    assert.ok(all.includes(f), `${f} in ${all.join(', ')}`);
  assert.not.ok(all.includes('runs/linux-node22/requests.csv'));
  // every href on every page points at a file of the site
  for (const page of all.filter((f) => f.endsWith('.html'))) {
    const html = readFileSync(path.join(out, page), 'utf8').split('<script')[0]; // the markup, not the inlined bundles
    for (const [, href] of html.matchAll(/href="([^"]+)"/g)) {
      assert.not.match(href, /^(\/|[a-z]+:)/, `${page}: ${href} is not relative`);
      assert.ok(existsSync(path.join(out, path.dirname(page), decodeURIComponent(href))), `${page}: ${href} is missing`);
    }
  }
  const compare = readFileSync(path.join(out, 'compare/report.html'), 'utf8');
  assert.match(compare, /<h3>linux node20<\/h3>/);
  assert.match(compare, /<h3>linux node22<\/h3>/);
});

test('folders of runs, as CI merges them (results/<cell>/<run-id>): searched down, one site with every run', () => {
  const root = tempDir();
  runFolder(path.join(root, 'results', 'linux'), '20260101-000000-aaaa', fourStrategies({ label: 'linux node20' }, 'ra'));
  runFolder(path.join(root, 'results', 'windows'), '20260101-000000-bbbb', fourStrategies({ label: 'windows node20' }, 'rb'));
  const out = path.join(root, 'site');
  const r = report(path.join(root, 'results', 'linux'), path.join(root, 'results', 'windows'), '--out', out);
  assert.is(r.code, 0, r.stderr);
  const all = files(out);
  for (const f of ['index.html', 'compare/report.html', 'runs/20260101-000000-aaaa/report.html', 'runs/20260101-000000-bbbb/report.html'])
    assert.ok(all.includes(f), `${f} in ${all.join(', ')}`);
  const compare = readFileSync(path.join(out, 'compare/report.html'), 'utf8');
  assert.match(compare, /<h3>linux node20<\/h3>/);
  assert.match(compare, /<h3>windows node20<\/h3>/);
});

test('a folder holding one run, deeper down: that run re-rendered in place', () => {
  const root = tempDir();
  const dir = runFolder(path.join(root, 'results', 'linux'), 'run1', tiny());
  const r = report(path.join(root, 'results'));
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /^report: .*run1[\\/]report\.html \(\d+ ms\)\n$/);
  assert.ok(existsSync(path.join(dir, 'report.html')));
});

test('--help: usage on stdout (pipeable, like bench --help), exit 0', () => {
  const r = report('--help');
  assert.is(r.code, 0);
  assert.is(r.stderr, '');
  assert.match(
    r.stdout,
    /Usage: cluster-sched-bench report RESULT_DIR\.\.\. \[flags\]\n {3}or: npm run report -- RESULT_DIR\.\.\. \[flags\]/,
  );
  assert.match(r.stdout, /--out DIR/);
});

test.run();
