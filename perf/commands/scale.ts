// `npm run perf:scale`: how the runner's memory and CPU grow with run length, workers and burst
// size. Each case is a real `npm run bench` in a child process (rr, --no-report, --raw as given);
// its peak RSS is read while it runs (Linux: VmHWM in /proc/PID/status) or, elsewhere, from the
// result (`runner.maxRssMb`, what the runner measured of itself). CPU per request is the load
// generator's CPU over the requests sent.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../format/errors.js';
import { measured, type RunResult } from '../../format/schema.js';
import { alignedTable } from '../../reports/text.js';
import { type Command, INTERRUPTED_EXIT } from '../../scripts/lib/command.js';

interface Case {
  name: string;
  args: string[];
}

const sustained = (s: number, workers = 2): Case => ({
  name: `sustained ${s} s, ${workers} workers`,
  args: ['--load', 'sustained', '--connections', '100', '--duration', String(s), '--workers', String(workers)],
});
const burst = (c: number, workers = 2): Case => ({
  name: `burst ${c} x 5, ${workers} workers`,
  args: ['--connections', String(c), '--rounds', '5', '--workers', String(workers)],
});

export const CASES: Record<'quick' | 'full', Case[]> = {
  quick: [sustained(2), sustained(4), burst(500)],
  full: [sustained(10), sustained(30), sustained(90), sustained(10, 8), sustained(10, 32), burst(1000), burst(5000)],
};

const BENCH = fileURLToPath(new URL('../../scripts/bench.js', import.meta.url));

interface Row {
  name: string;
  requests: number;
  rps: number;
  peakRssMb: number;
  cpuUsPerReq: number;
  wallS: number;
  accounted: boolean;
}

/** Peak resident memory so far of a live process (Linux), in MB; null where /proc is not there. */
function vmHwmMb(pid: number): number | null {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** The bench running now: a signal to perf:scale alone (not its group) still stops it (cleanup). */
let running: ChildProcess | undefined;

/** SIGTERM to the running bench (it stops its clusters in order, within its own 4.5 s deadline); SIGKILL after 6 s. */
async function stopRunning(): Promise<void> {
  const child = running;
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const closed = new Promise((r) => child.once('close', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 6000);
  await closed;
  clearTimeout(timer);
}

function runCase(c: Case, extra: string[], out: string): Promise<Row> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BENCH, '--policy', 'rr', '--no-report', '--json', '--out', out, ...c.args, ...extra], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    running = child;
    let stdout = '';
    let stderr = '';
    let peak = 0;
    const poll = setInterval(() => {
      const v = child.pid === undefined ? null : vmHwmMb(child.pid);
      if (v !== null) peak = Math.max(peak, v);
    }, 50);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(poll);
      running = undefined;
      if (code !== 0 && code !== 1) return reject(new Error(`${c.name}: bench exited ${code}: ${stderr.trim().split('\n').pop()}`));
      const result = JSON.parse(stdout) as RunResult & { runner?: { maxRssMb: number } };
      const s = measured(result.strategies);
      const requests = s.reduce((a, x) => a + x.totals.sent, 0);
      const loadGenMs = s.reduce((a, x) => a + (x.cpuMs.loadGen ?? 0), 0);
      resolve({
        name: c.name,
        requests,
        rps: s[0]?.rps ?? 0,
        peakRssMb: peak > 0 ? peak : (result.runner?.maxRssMb ?? NaN),
        cpuUsPerReq: requests === 0 ? NaN : (loadGenMs * 1000) / requests,
        wallS: (performance.now() - t0) / 1000,
        accounted: s.every((x) => x.totals.accounted),
      });
    });
  });
}

export const perfScale: Command<{ cases: Case[]; extra: string[] }> = {
  name: 'perf:scale',
  summary: "Measure the runner's peak RSS and CPU per request as runs get longer, clusters bigger and bursts larger.",
  flags: {
    quick: { type: 'boolean', description: 'three short cases (seconds), to try it out' },
    raw: { type: 'string', value: 'MODE', description: 'passed to every bench run as --raw (all, sample:P, none)' },
  },
  examples: ['npm run perf:scale -- --quick', 'npm run perf:scale', 'npm run perf:scale -- --raw sample:0.1'],
  exitCodes: `0 ok, 1 a case failed or was not accounted, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse(values) {
    const raw = values.raw as string | undefined;
    if (raw !== undefined && !/^(all|none|sample:0?\.\d+|sample:1)$/.test(raw))
      throw new UsageError(`invalid --raw '${raw}' (valid: all, none, sample:P)`);
    return { cases: CASES[values.quick ? 'quick' : 'full'], extra: raw === undefined ? [] : ['--raw', raw] };
  },
  cleanup: stopRunning,
  async run({ cases, extra }, { err, out }) {
    if (!existsSync(BENCH)) throw new Error(`${BENCH} is missing: run 'npm run build' first`);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'csb-scale-'));
    const rows: Row[] = [];
    try {
      for (const c of cases) {
        err.write(`  ${c.name} ...`);
        const r = await runCase(c, extra, dir);
        rows.push(r);
        err.write(` ${r.peakRssMb.toFixed(0)} MB peak, ${r.requests} requests\n`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const table = alignedTable(
      ['case', 'requests', 'req/s', 'runner peak RSS MB', 'loadgen CPU µs/req', 'wall s', 'accounted'],
      rows.map((r) => [
        r.name,
        String(r.requests),
        String(r.rps),
        r.peakRssMb.toFixed(0),
        r.cpuUsPerReq.toFixed(1),
        r.wallS.toFixed(1),
        r.accounted ? 'yes' : 'NO',
      ]),
    );
    out.write(
      `perf:scale  Node ${process.version} | ${os.cpus()[0]?.model.trim() ?? 'cpu?'} | ${os.availableParallelism()} cores | rr\n\n${table}\n`,
    );
    return rows.every((r) => r.accounted) ? 0 : 1;
  },
};
