// `npm run serve` driven by `bench --target` (loopback): the bench reconciles every round against
// serve's own counts; closing its stdin, --for S or Ctrl-C ends serve with exit 0 and its final
// counts, and nothing is left running or listening. The tests stop serve by closing its stdin (a
// pipe): that works on every platform, where a signal is a hard kill on Windows.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { measured } from '../../../format/schema.js';
import { validateResult } from '../../../format/validate.js';
import { descendantsOf, HAS_PROC, leftAlive, NO_PROC, runCli } from '../../helpers/cli.js';
import { skipIf } from '../../helpers/skip.js';
import { within } from '../../helpers/wait.js';

const SERVE = fileURLToPath(new URL('../../../scripts/serve.js', import.meta.url));
const out = mkdtempSync(path.join(os.tmpdir(), 'csb-serve-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

interface Serving {
  child: ChildProcess;
  url: string;
  stats: string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** serve with `args`; its stdin a pipe (closing it stops serve) unless `stdin` is 'ignore' (/dev/null, NUL on Windows). */
function startServe(args: string[], stdin: 'pipe' | 'ignore' = 'pipe'): Promise<Serving> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVE, ...args], { stdio: [stdin, 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    const exit = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 30_000);
    (child.stderr as Readable).setEncoding('utf8').on('data', (s: string) => {
      stderr += s;
      const url = /^serving \S+ on (http:\S+)/m.exec(stderr)?.[1];
      const stats = /^ {2}stats (http:\S+)/m.exec(stderr)?.[1];
      // The line that says how it stops comes last.
      if (url && stats && /^ {2}Ctrl-C to stop.*\n/m.test(stderr)) {
        clearTimeout(timer);
        resolve({ child, url, stats, stderr: () => stderr, exit });
      }
    });
  });
}

/** Does a connection to `url`'s port get refused (nothing listening there any more)? */
function refused(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

test('bench --target against serve --stats: every round reconciled with serve, closing stdin prints the same counts, exit 0, no process left', async () => {
  const s = await startServe(['--policy', 'none', '--workers', '3', '--port', '0', '--stats', '--server', 'http']);
  const started = HAS_PROC && s.child.pid ? descendantsOf(s.child.pid) : new Map<number, string>();
  const run = await runCli(
    ['--target', s.url, '--target-stats', s.stats, '--connections', '60', '--rounds', '3', '--json', '--no-report', '--out', out],
    {
      timeoutMs: 60_000,
    },
  );
  assert.is(run.code, 0, run.stderr);
  const result = validateResult(JSON.parse(run.stdout), 'stdout');
  const [t] = measured(result.strategies);
  assert.equal([t.name, t.kind], ['target', 'target']);
  assert.equal(t.totals, { sent: 180, ok: 180, errors: 0, mismatches: 0, accounted: true });
  assert.is(t.workers.length, 3, 'the three workers, from /stats');
  for (const r of t.rounds) assert.equal(r.counts, r.server, `round ${r.index}: client == serve's own counts`);
  assert.equal(result.options.target, s.url);
  assert.is(result.env.clusterNode, undefined, 'not our cluster: its Node is unknown');

  s.child.stdin?.end();
  assert.is(await s.exit, 0, s.stderr());
  const final = s.stderr().slice(s.stderr().indexOf('stopping (stdin closed)'));
  assert.match(final, /^ {2}\S+ {2}180 requests/m);
  for (const w of t.perWorker) assert.match(final, new RegExp(`pid ${w.pid} +${w.client} requests`));
  assert.equal(await leftAlive(started, 3000), [], 'serve stopped its cluster');
});

test('bench --target without --target-stats: workers found from the responses, not reconciled, and the result says so', async () => {
  const s = await startServe(['--policy', 'rr', '--workers', '2', '--port', '0', '--stats', '--server', 'http']);
  const run = await runCli(['--target', s.url, '--connections', '20', '--rounds', '2', '--json', '--no-report', '--out', out], {
    timeoutMs: 60_000,
  });
  s.child.stdin?.end();
  await s.exit;
  assert.is(run.code, 0, run.stderr);
  const [t] = measured(validateResult(JSON.parse(run.stdout), 'stdout').strategies);
  assert.is(t.workers.length, 2);
  assert.is(t.totals.sent, 40);
  assert.ok(t.warnings?.some((w) => w.startsWith('not reconciled against the server')));
});

/** A real OpenMetrics parser (prometheus_client's, Debian python3-prometheus-client): the families it reads, as JSON. */
function parseOpenMetrics(
  text: string,
): Array<{ name: string; type: string; samples: Array<{ name: string; labels: Record<string, string>; value: number }> }> {
  // $PYTHON first (the CI workflow's setup-python interpreter, where pip put prometheus_client), then
  // Debian's, then whatever the PATH has.
  const python =
    process.env.PYTHON ?? (existsSync('/usr/bin/python3') ? '/usr/bin/python3' : process.platform === 'win32' ? 'python' : 'python3');
  const script = [
    'import sys, json',
    'from prometheus_client.openmetrics.parser import text_string_to_metric_families',
    'fams = text_string_to_metric_families(sys.stdin.read())',
    'print(json.dumps([{"name": f.name, "type": f.type, "samples": [{"name": s.name, "labels": s.labels, "value": s.value} for s in f.samples]} for f in fams]))',
  ].join('\n');
  const r = spawnSync(python, ['-c', script], { input: text, encoding: 'utf8' });
  if (r.status !== 0)
    throw new Error(`the OpenMetrics parser failed (needs python3 with prometheus_client, Debian: python3-prometheus-client): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

test('GET /metrics on the stats port: OpenMetrics a real parser reads; its counters equal /stats, its histograms count every request', async () => {
  const s = await startServe(['--policy', 'rr', '--workers', '2', '--port', '0', '--stats', '--server', 'http']);
  try {
    const run = await runCli(
      ['--target', s.url, '--target-stats', s.stats, '--connections', '15', '--rounds', '2', '--no-report', '--out', out],
      {
        timeoutMs: 60_000,
      },
    );
    assert.is(run.code, 0, run.stderr);
    const metricsUrl = s.stats.replace(/\/stats$/, '/metrics');
    const res = await fetch(metricsUrl);
    assert.match(res.headers.get('content-type') ?? '', /^application\/openmetrics-text; version=1\.0\.0/);
    const families = parseOpenMetrics(await res.text());
    const stats = (await (await fetch(s.stats)).json()) as { workers: Array<{ pid: number; requests: number; connections: number }> };
    const family = (name: string) => families.find((f) => f.name === name);
    assert.equal(
      families.map((f) => [f.name, f.type]),
      [
        ['csb_requests', 'counter'],
        ['csb_connections', 'counter'],
        ['csb_request_duration_seconds', 'histogram'],
      ],
    );
    for (const w of stats.workers) {
      const of = (f: string, sample: string) => family(f)?.samples.find((x) => x.name === sample && x.labels.pid === String(w.pid))?.value;
      assert.is(of('csb_requests', 'csb_requests_total'), w.requests);
      assert.is(of('csb_connections', 'csb_connections_total'), w.connections);
      assert.is(of('csb_request_duration_seconds', 'csb_request_duration_seconds_count'), w.requests, 'every request timed');
    }
    assert.is(
      stats.workers.reduce((a, w) => a + w.requests, 0),
      30,
    );
  } finally {
    s.child.stdin?.end();
    await s.exit;
  }
});

test('bad --target use: exit 2 and one line', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--target-stats', 'http://127.0.0.1:1/stats'], /--target-stats needs --target/],
    [['--target', 'http://127.0.0.1:1/', '--workers', '4'], /--workers does not apply with --target/],
    [['--target', 'ftp://127.0.0.1/'], /invalid --target 'ftp:\/\/127\.0\.0\.1\/': only http:\/\//],
    [['--target', 'nope'], /invalid --target 'nope': expected a URL/],
  ];
  for (const [args, line] of cases) {
    const r = await runCli([...args, '--out', out], { timeoutMs: 20_000 });
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, line);
  }
});

test('serve --for 2 with stdin /dev/null (a background job): serves 2 s, stops by itself, exit 0, nothing left listening', async () => {
  const t0 = performance.now();
  const s = await startServe(['--policy', 'rr', '--workers', '2', '--port', '0', '--stats', '--server', 'http', '--for', '2'], 'ignore');
  const started = HAS_PROC && s.child.pid ? descendantsOf(s.child.pid) : new Map<number, string>();
  assert.match(s.stderr(), /^ {2}Ctrl-C to stop; stops by itself after 2 s$/m, 'stdin is /dev/null: not a way to stop it');
  assert.is((await fetch(s.url)).status, 200);
  const code = await within(s.exit, 15_000, 'serve --for 2 to exit by itself');
  assert.is(code, 0, s.stderr());
  assert.ok(performance.now() - t0 >= 1900, 'it served the 2 s: /dev/null did not stop it at once');
  assert.match(s.stderr(), /^stopping \(--for 2 s over\); the workers' own counts:$/m);
  assert.match(s.stderr(), /^ {2}\S+ {2}1 requests/m, 'the final counts');
  assert.ok(await refused(s.url), 'nothing listens on its port');
  assert.ok(await refused(s.stats), 'nor on its stats port');
  assert.equal(await leftAlive(started, 3000), [], 'its cluster went too');
});

test('serve with stdin a pipe stops cleanly when the pipe closes: final counts, exit 0, nothing left listening', async () => {
  const s = await startServe(['--policy', 'rr', '--workers', '2', '--port', '0', '--stats', '--server', 'http']);
  const started = HAS_PROC && s.child.pid ? descendantsOf(s.child.pid) : new Map<number, string>();
  assert.match(s.stderr(), /^ {2}Ctrl-C to stop; or when stdin closes$/m);
  for (let i = 0; i < 3; i++) assert.is((await fetch(s.url)).status, 200);
  s.child.stdin?.end();
  const code = await within(s.exit, 10_000, 'serve to exit when its stdin closed');
  assert.is(code, 0, s.stderr());
  assert.match(s.stderr(), /^stopping \(stdin closed\); the workers' own counts:$/m);
  assert.match(s.stderr(), /^ {2}\S+ {2}3 requests/m);
  assert.ok(await refused(s.url), 'nothing listens on its port');
  assert.equal(await leftAlive(started, 3000), [], 'its cluster went too');
});

// Ctrl-C itself. On Windows child.kill('SIGINT') is TerminateProcess, a hard kill with no handler
// run: there the stops above (--for, stdin) are the clean ones, tested everywhere.
skipIf(process.platform === 'win32' ? 'SIGINT from another process is a hard kill on Windows (TerminateProcess)' : null)(
  'Ctrl-C (SIGINT) stops serve cleanly: its final counts, exit 0, nothing left listening',
  async () => {
    const s = await startServe(['--policy', 'rr', '--workers', '2', '--port', '0', '--stats', '--server', 'http']);
    assert.is((await fetch(s.url)).status, 200);
    s.child.kill('SIGINT');
    assert.is(await within(s.exit, 10_000, 'serve to exit on SIGINT'), 0, s.stderr());
    assert.match(s.stderr(), /^stopping \(SIGINT\); the workers' own counts:$/m);
    assert.match(s.stderr(), /^ {2}\S+ {2}1 requests/m);
    assert.ok(await refused(s.url));
  },
);

// How a process manager or `docker stop` ends a service: SIGTERM to the process it started. Under
// `npm run serve` npm's shell never passes it on, so the README says to start `node dist/scripts/serve.js`.
skipIf(process.platform === 'win32' ? 'SIGTERM never arrives on Windows (child.kill is TerminateProcess there)' : NO_PROC)(
  'serve started directly (as the README says for services) stops on SIGTERM: its final counts, exit 0, no process left',
  async () => {
    const s = await startServe(['--policy', 'rr', '--workers', '2', '--port', '0', '--stats', '--server', 'http']);
    const started = s.child.pid ? descendantsOf(s.child.pid) : new Map<number, string>();
    assert.ok(
      [...started.values()].some((cmd) => cmd.includes('cluster/primary.js')),
      'its cluster is up',
    );
    s.child.kill('SIGTERM');
    const code = await within(s.exit, 10_000, 'serve to exit on SIGTERM');
    assert.is(code, 0, s.stderr());
    assert.match(s.stderr(), /stopping/);
    assert.equal(await leftAlive(started, 5000), [], 'its cluster went too');
  },
);

skipIf(NO_PROC)('the cluster dies under serve (its primary SIGKILLed): serve says so in one line, exits 1, leaves no worker', async () => {
  const s = await startServe(['--policy', 'rr', '--workers', '2', '--port', '0', '--stats', '--server', 'http']);
  const started = s.child.pid ? descendantsOf(s.child.pid) : new Map<number, string>();
  const primary = [...started].find(([, cmd]) => cmd.includes('cluster/primary.js'))?.[0];
  assert.ok(primary, JSON.stringify([...started]));
  process.kill(primary as number, 'SIGKILL');
  const code = await within(s.exit, 10_000, 'serve to exit after its primary died');
  assert.is(code, 1, s.stderr());
  assert.match(s.stderr(), /^error: rr: the primary exited unexpectedly \(code null, signal SIGKILL\); stopped serving$/m);
  assert.equal(await leftAlive(started, 5000), [], 'its workers went too');
});

test.run();
