// One real run of every strategy through the CLI, with a small load: 2 workers, 3 rounds of 50.
// Asserts exact accounting (never timing or fairness thresholds: the machine is shared and noisy).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REQUESTS_HEADER } from '../../../format/requests.js';
import { measured, type RunResult } from '../../../format/schema.js';
import { validateResult } from '../../../format/validate.js';
import { STRATEGIES, STRATEGY_NAMES } from '../../../strategies/registry.js';
import { type CliRun, leftAlive, NO_PROC, runCli } from '../../helpers/cli.js';
import { publishedValidator } from '../../helpers/schema.js';
import { skipIf } from '../../helpers/skip.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-run-'));
let run: CliRun;
let result: RunResult;
let runDir: string;

test.before(async () => {
  run = await runCli(
    [
      '--policy',
      'all',
      '--workers',
      '2',
      '--connections',
      '50',
      '--rounds',
      '3',
      '--server',
      'http',
      '--seed',
      '42',
      '--json',
      '--out',
      out,
    ],
    { timeoutMs: 90_000 },
  );
  result = validateResult(JSON.parse(run.stdout), 'stdout');
  runDir = path.join(out, result.runId);
});

/** The strategies this platform and Node run (reuseport needs Node >= 22.12): the others are skipped entries. */
const HERE = STRATEGY_NAMES.filter((n) => STRATEGIES[n].supported(process.platform, process.version) === null);

test.after(() => {
  rmSync(out, { recursive: true, force: true });
});

test('exit code 0, the JSON on stdout, every strategy accounted on stderr', () => {
  assert.is(run.code, 0, run.stderr);
  for (const name of HERE) assert.match(run.stderr, new RegExp(`^  ${name} .* 0 errors  accounted$`, 'm'));
  assert.is(result.ok, true);
});

test('the options are recorded as given, with --seed 42', () => {
  const { policies, workers, connections, rounds, load, server, seed, out: dir } = result.options;
  assert.equal(
    { policies, workers, connections, rounds, load, server, seed, dir },
    {
      policies: [...STRATEGY_NAMES],
      workers: 2,
      connections: 50,
      rounds: 3,
      load: 'burst',
      server: 'http',
      seed: 42,
      dir: out,
    },
  );
});

for (const name of HERE) {
  test(`${name}: all 150 requests accounted, every round's pids exactly the 2 workers', client == server`, () => {
    const s = measured(result.strategies).find((x) => x.name === name);
    assert.ok(s, `${name} is in the result, measured`);
    assert.equal(s.totals, { sent: 150, ok: 150, errors: 0, mismatches: 0, accounted: true });
    assert.equal(s.problems, []);
    assert.equal(s.errorsByCode, {});
    const pids = s.workers.map((w) => String(w.pid)).sort();
    assert.is(new Set(pids).size, 2);
    assert.ok(!pids.includes(String(process.pid)));
    assert.equal(
      s.rounds.map((r) => r.index),
      [1, 2, 3],
    );
    for (const r of s.rounds) {
      assert.equal(
        [Object.keys(r.counts).sort(), Object.keys(r.server).sort(), Object.keys(r.connections).sort()],
        [pids, pids, pids],
        `round ${r.index}`,
      );
      assert.equal([r.sent, r.ok, r.errors, r.mismatches], [50, 50, 0, 0], `round ${r.index}`);
      assert.equal(r.counts, r.server, `round ${r.index}: client and server agree`);
      assert.equal(r.connections, r.counts, `round ${r.index}: one connection per request`);
    }
    assert.equal(
      s.perWorker.map((w) => w.client + w.server),
      s.perWorker.map((w) => 2 * w.server),
    );
    assert.is(
      s.perWorker.reduce((a, w) => a + w.client, 0),
      150,
    );
    if (s.kind === 'dispatch' || s.kind === 'proxy') assert.equal(s.dispatch, { dispatched: 150, refused: 0, dropped: 0 });
    else assert.is(s.dispatch, undefined);
  });
}

test('random with --seed 42 places connections exactly as seededRng(42) says: rounds [27, 23], [23, 27], [29, 21]', () => {
  // Picks ignore load, so worker k (in fork order) gets the k-th share of floor(rng() * 2) per 50 picks.
  const s = measured(result.strategies).find((x) => x.name === 'random');
  assert.ok(s);
  assert.equal(
    s.rounds.map((r) => s.workers.map((w) => r.counts[w.pid])),
    [
      [27, 23],
      [23, 27],
      [29, 21],
    ],
  );
});

test('result.json (schemaVersion 1) is the document printed with --json, and requests.csv has 150 rows per strategy', () => {
  assert.equal(readdirSync(out), [result.runId], 'one run folder');
  const files = readdirSync(runDir).sort();
  assert.equal(
    files.filter((f) => !f.endsWith('.svg')),
    ['latency.hlog', 'report.html', 'report.md', 'requests.csv', 'result.json'],
    'no temp files left',
  );
  assert.ok(files.includes('seed.svg'), 'the report rendered its charts');
  const file = JSON.parse(readFileSync(path.join(runDir, 'result.json'), 'utf8')) as RunResult;
  assert.is(file.schemaVersion, 1);
  assert.equal(file, result);
  const valid = publishedValidator();
  assert.ok(valid(file), `result.json validates against docs/result.schema.json (ajv): ${JSON.stringify(valid.errors?.slice(0, 3))}`);
  const [header, ...rows] = readFileSync(path.join(runDir, 'requests.csv'), 'utf8').trimEnd().split('\n');
  assert.is(header, REQUESTS_HEADER);
  for (const s of measured(result.strategies)) {
    const mine = rows.map((r) => r.split(',')).filter((f) => f[0] === s.name);
    const pids = new Set(s.workers.map((w) => String(w.pid)));
    assert.is(mine.length, 150, s.name);
    assert.equal(
      [1, 2, 3].map((k) => mine.filter((f) => f[1] === String(k)).length),
      [50, 50, 50],
      s.name,
    );
    assert.ok(
      mine.every((f) => pids.has(f[2]) && f[3] === '200' && f[5] === '' && Number(f[4]) > 0),
      `${s.name}: every row a worker's, 200, no error`,
    );
  }
  assert.is(rows.length, 150 * measured(result.strategies).length);
});

test('afterwards no worker of the run is alive', async () => {
  const workerPids = new Map(measured(result.strategies).flatMap((s) => s.workers.map((w) => [w.pid, undefined] as const)));
  assert.equal(await leftAlive(workerPids), [], 'workers');
});

// Primaries are known only from /proc (the result names the workers).
skipIf(NO_PROC)('afterwards no process started by the run is alive: every primary and every other descendant is gone', async () => {
  const primaries = [...run.descendants].filter(([, cmd]) => cmd.includes('primary.js'));
  assert.ok(primaries.length >= 1, 'the watcher saw the primaries');
  assert.equal(await leftAlive(run.descendants), [], 'every descendant seen during the run');
});

test.run();
