// `npm run compare` as a user runs it, on real result files: exit 0 / 1 / 2, what it names.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { METRIC_IDS } from '../../../reports/compare.js';
import { ROOT } from '../../helpers/schema.js';
import { tempDir } from '../../reports/fixtures.js';

const CLI = fileURLToPath(new URL('../../../scripts/compare.js', import.meta.url));
const REAL = path.join(ROOT, 'test', 'fixtures', 'results', 'burst-v1.json');
const root = tempDir('csb-compare-');
test.after(() => rmSync(root, { recursive: true, force: true }));

function compare(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A copy of the real result with `edit` applied, as DIR/result.json. */
function variant(name: string, edit: (doc: any) => void): string {
  const doc = JSON.parse(readFileSync(REAL, 'utf8'));
  edit(doc);
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify(doc));
  return dir;
}

test('a run against itself: exit 0, no regression, Markdown written', () => {
  const md = path.join(root, 'same.md');
  const r = compare(REAL, REAL, '--md', md);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /noise: NOT tested \(fewer than 3 runs a side/);
  assert.match(r.stderr, /no regression/);
  assert.match(readFileSync(md, 'utf8'), /^\| least-connections \| req\/s \|/m);
});

test('one strategy with req/s cut by 40% and Jain 0.7: exit 1, that strategy and those metrics named', () => {
  const bad = variant('bad', (d) => {
    const s = d.strategies.find((x: any) => x.name === 'random');
    s.rps = Math.round(s.rps * 0.6);
    s.metrics.jain = 0.7;
  });
  const r = compare(REAL, bad, '--json');
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, /2 regressions: random Jain −0\.\d{4}, random req\/s −40\.0%/);
  const c = JSON.parse(r.stdout);
  assert.equal(
    c.rows.filter((x: any) => x.verdict === 'regression').map((x: any) => `${x.strategy} ${x.metric}`),
    ['random jain', 'random rps'],
  );
});

test('different --workers: exit 2 with the difference named, nothing else', () => {
  const other = variant('workers3', (d) => {
    d.options.workers = 3;
  });
  const r = compare(REAL, other);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^error: runs with different load settings cannot be compared: .*workers: 2 vs 3\n$/);
});

test('bad input: exit 2 and one line', () => {
  const cases: Array<[string[], RegExp]> = [
    [[REAL], /give BASELINE and CURRENT/],
    [[REAL, path.join(root, 'nope')], /cannot compare '.*nope': no such file or folder/],
    [[REAL, REAL, '--thresholds', 'speed=1'], new RegExp(`unknown metric 'speed' in --thresholds \\(valid: ${METRIC_IDS.join(', ')}\\)`)],
    [[REAL, REAL, '--alpha', '2'], /invalid --alpha '2'/],
    [['--aa', REAL], /--aa needs a run with --runs 2 or more \(it has 1/],
    [[REAL, REAL, '--export', 'csv', 'x'], /unknown --export 'csv' \(valid: gab\)/],
  ];
  for (const [args, line] of cases) {
    const r = compare(...args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, line);
    assert.is(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  }
});

test('--export gab: the current run as github-action-benchmark JSON, bigger and smaller apart', () => {
  const prefix = path.join(root, 'gab');
  const r = compare(REAL, '--export', 'gab', prefix);
  assert.is(r.code, 0, r.stderr);
  const bigger = JSON.parse(readFileSync(`${prefix}-bigger.json`, 'utf8'));
  const smaller = JSON.parse(readFileSync(`${prefix}-smaller.json`, 'utf8'));
  assert.equal(
    bigger.map((e: any) => e.name),
    ['rr Jain', 'rr req/s', 'none Jain', 'none req/s', 'least-connections Jain', 'least-connections req/s', 'random Jain', 'random req/s'],
  );
  assert.ok(smaller.every((e: any) => typeof e.value === 'number' && typeof e.unit === 'string'));
  assert.ok(existsSync(`${prefix}-smaller.json`));
});

test.run();
