// `npm run compare` as a user runs it, on real result files: exit 0 / 1 / 2, what it names.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { THRESHOLD_IDS } from '../../../reports/compare.js';
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
  assert.match(r.stderr, /test: NOT tested \(fewer than 3 pairs, or 3 runs a side/);
  assert.match(r.stderr, /no regression/);
  assert.match(readFileSync(md, 'utf8'), /^\| least-connections \| req\/s \|/m);
});

test('one strategy with req/s cut by 40% and Jain 0.7, two single runs: Jain is a regression; req/s is inside the cross-run band unless its threshold is given', () => {
  const bad = variant('bad', (d) => {
    const s = d.strategies.find((x: any) => x.name === 'random');
    s.rps = Math.round(s.rps * 0.6);
    s.metrics.jain = 0.7;
  });
  const r = compare(REAL, bad, '--json');
  assert.is(r.code, 1, r.stderr);
  // One run a side on a shared box: separate runs wander by more than 40% in req/s (docs/noise/shared-2core.json).
  assert.match(r.stderr, /1 regression: random Jain −0\.\d{4}/);
  const c = JSON.parse(r.stdout);
  assert.equal(
    c.rows.filter((x: any) => x.verdict === 'regression').map((x: any) => `${x.strategy} ${x.metric}`),
    ['random jain'],
  );
  assert.ok(c.rows.find((x: any) => x.strategy === 'random' && x.metric === 'rps').change < -0.39);
  const fixed = compare(REAL, bad, '--thresholds', 'rps=0.1');
  assert.is(fixed.code, 1, fixed.stderr);
  assert.match(fixed.stderr, /2 regressions: random Jain −0\.\d{4}, random req\/s −40\.0%/);
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
    [[REAL], /one run is compared with itself only as an A\/B run/],
    [[REAL, REAL, REAL], /give BASELINE and CURRENT .* got 3/],
    [[REAL, REAL, '--noise', REAL], /invalid --noise '.*': not a noise profile/],
    [[REAL, path.join(root, 'nope')], /cannot compare '.*nope': no such file or folder/],
    [
      [REAL, REAL, '--thresholds', 'speed=1'],
      new RegExp(`unknown metric 'speed' in --thresholds \\(valid: ${THRESHOLD_IDS.join(', ')}\\)`),
    ],
    [[REAL, REAL, '--alpha', '2'], /invalid --alpha '2'/],
    [['--aa'], /--aa takes one or more runs/],
    [[REAL, REAL, '--export', 'csv', 'x'], /unknown --export 'csv' \(valid: gab, bencher\)/],
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
  const names = [...bigger, ...smaller].map((e: any) => e.name);
  assert.is(new Set(names).size, names.length, 'no metric twice');
});

test('--export bencher: Bencher Metric Format, one measure per metric', () => {
  const prefix = path.join(root, 'bmf');
  const r = compare(REAL, '--export', 'bencher', prefix);
  assert.is(r.code, 0, r.stderr);
  const doc = JSON.parse(readFileSync(`${prefix}.json`, 'utf8'));
  assert.equal(Object.keys(doc), ['rr', 'none', 'least-connections', 'random']);
  assert.ok(typeof doc.rr.rps.value === 'number' && typeof doc.rr['primary-cpu'].value === 'number', JSON.stringify(doc.rr));
});

test('--aa on separate runs: every two compared, a noise profile written that --noise reads', () => {
  const dir = path.join(root, 'aa');
  for (const [i, f] of [1, 0.97, 1.02].entries())
    variant(path.join('aa', `run${i}`), (d) => {
      d.runId = `20260101-00000${i}-aaaa`;
      d.options.runs = 3;
      const reps = d.strategies.flatMap((s: any) =>
        [0.98, 1, 1.03].map((w, k) => ({ ...s, rep: k + 1, rps: s.rps * f * w, cpuMs: { ...s.cpuMs, primary: s.cpuMs.primary * w } })),
      );
      d.strategies = reps;
    });
  const r = compare('--aa', dir);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /A\/A: \d+ of 3 comparisons flagged a regression/);
  assert.match(r.stderr, /between-run sd/);
  const profile = path.join(dir, 'noise.json');
  assert.ok(existsSync(profile));
  const doc = JSON.parse(readFileSync(profile, 'utf8'));
  assert.is(doc.separateRuns, 3);
  assert.ok(doc.metrics.rps.betweenVar > 0, JSON.stringify(doc.metrics.rps));
  const again = compare(path.join(dir, 'run0'), path.join(dir, 'run1'), '--noise', profile);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, /plus the between-run noise of A\/A on/);
});

test.run();
