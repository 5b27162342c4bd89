// bench:overhead: what the harness itself costs under keep-alive load, in three variants:
//   bare     the workers write no pid header and count nothing; plain autocannon client
//   server   pid header + request/connection counters on (what every run uses); plain client
//   full     server instrumented + the client's per-response pid hook (what --load sustained uses)
//
// Paired windows in ONE cluster: the instrumentation is switched at run time over IPC, and the
// variants alternate in short windows (order rotated each cycle). Fresh clusters per variant were
// tried first: on this 2-vCPU box where a worker lands relative to the load generator moved req/s
// and CPU per request by up to 2x between runs, swamping a 2% effect. Same processes, adjacent in
// time, compared within each cycle, cancels that. Reported: worker CPU time per request and req/s,
// each as overhead % vs bare within the cycle, median [min-max].
import autocannon from 'autocannon';
import { ClusterProcess } from '../cluster/handle.js';
import type { Snapshot } from '../cluster/protocol.js';
import type { StrategyName } from '../../strategies/registry.js';
import { median, ratios, spread, table } from './stats.js';
import { isServerName, SERVER_NAMES } from '../../servers/registry.js';
import { msg, UsageError } from '../errors.js';
import { flagLines, intFlag } from '../flags.js';

export const OVERHEAD_FLAGS = {
  reps: { type: 'string', value: 'N', shown: '20', description: 'cycles of bare/server/full windows (order rotated)' },
  duration: { type: 'string', value: 'S', shown: '1.5', description: 'seconds per window' },
  connections: { type: 'string', value: 'C', shown: '100', description: 'keep-alive connections' },
  workers: { type: 'string', value: 'N', shown: '2', description: 'workers per cluster' },
  server: { type: 'string', value: 'NAME', shown: 'http', description: `worker app: ${SERVER_NAMES.join(', ')}` },
  help: { type: 'boolean', description: 'show this help' },
} as const;

export function overheadHelp(): string {
  return ['bench:overhead: what the harness costs (pid header, counters, client pid hook) under keep-alive load', '', 'Usage: npm run bench:overhead -- [flags]', '', ...flagLines(OVERHEAD_FLAGS)].join('\n');
}

/** Validated options from parsed flags; throws UsageError naming the bad value. */
export function overheadOptions(values: Record<string, string | boolean | undefined>): OverheadOptions {
  const int = (flag: string, fallback: number, max: number): number => intFlag(flag, values[flag] as string | undefined, fallback, 1, max);
  const num = (flag: string, fallback: number, max: number): number => {
    const text = values[flag] as string | undefined;
    if (text === undefined) return fallback;
    const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(n >= 0.5 && n <= max)) throw new UsageError(`invalid --${flag} '${text}': expected seconds from 0.5 to ${max}`);
    return n;
  };
  const server = (values.server as string | undefined) ?? 'http';
  if (!isServerName(server)) throw new UsageError(msg.server(server, SERVER_NAMES.join(', ')));
  return { reps: int('reps', 20, 200), durationS: num('duration', 1.5, 600), connections: int('connections', 100, 10_000), workers: int('workers', 2, 64), server, strategy: 'rr' };
}

export interface OverheadOptions {
  reps: number;
  durationS: number;
  connections: number;
  workers: number;
  server: string;
  strategy: StrategyName;
}

type Variant = 'bare' | 'server' | 'full';
const VARIANTS: readonly Variant[] = ['bare', 'server', 'full'];

interface Sample { rps: number; cpuUsPerReq: number }

const workerCpu = (snap: Snapshot): number => snap.workers.reduce((a, w) => a + w.cpuUs, 0);

/** One window of keep-alive load at the cluster as it is now switched. */
async function window(cluster: ClusterProcess, o: OverheadOptions, v: Variant): Promise<Sample> {
  const before = await cluster.setInstrumented(v !== 'bare');
  let seen = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${cluster.port}/`,
    connections: o.connections,
    duration: o.durationS,
    ...(v === 'full' && {
      setupClient: (c: autocannon.Client) =>
        c.on('headers', (info: unknown) => {
          const raw = (info as { headers: string[] }).headers;
          for (let i = 0; i < raw.length; i += 2) if (raw[i] === 'x-worker-pid') { seen++; break; }
        }),
    }),
  });
  const after = await cluster.snapshot();
  if (v === 'full' && seen === 0) throw new Error('the pid hook saw no x-worker-pid header');
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${v}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  const served = result.requests.total;
  return { rps: served / (result.duration || o.durationS), cpuUsPerReq: (workerCpu(after) - workerCpu(before)) / served };
}

export async function benchOverhead(o: OverheadOptions, log: (s: string) => void): Promise<string> {
  const rps: Record<Variant, number[]> = { bare: [], server: [], full: [] };
  const cpu: Record<Variant, number[]> = { bare: [], server: [], full: [] };
  const cluster = await ClusterProcess.start({
    strategy: o.strategy, workers: o.workers, server: o.server, host: '127.0.0.1', port: 0,
    backlog: 4096, seed: 1, work: 'hello', instrument: true,
  });
  try {
    await window(cluster, o, 'full'); // warm-up (JIT, connections), not counted
    for (let rep = 0; rep < o.reps; rep++) {
      // Rotate the order each cycle so no variant always follows the same one.
      const order = VARIANTS.map((_, i) => VARIANTS[(i + rep) % VARIANTS.length]);
      for (const v of order) {
        const s = await window(cluster, o, v);
        rps[v].push(s.rps);
        cpu[v].push(s.cpuUsPerReq);
      }
      log(`  cycle ${rep + 1}/${o.reps}: ${VARIANTS.map((v) => `${v} ${Math.round(rps[v][rep])} req/s ${cpu[v][rep].toFixed(1)} µs/req`).join(', ')}`);
    }
  } finally {
    await cluster.stop();
  }
  const pctOver = (xs: number[]): number[] => xs.map((x) => (x - 1) * 100);
  const rows = VARIANTS.map((v) => {
    const cpuRatio = ratios(cpu[v], cpu.bare);
    const rpsRatio = ratios(rps.bare, rps[v]); // >1 means slower than bare
    return [
      v,
      median(cpu[v]).toFixed(1),
      v === 'bare' ? '' : spread(pctOver(cpuRatio), 1),
      String(Math.round(median(rps[v]))),
      v === 'bare' ? '' : spread(pctOver(rpsRatio), 1),
    ];
  });
  return table(['variant', 'worker CPU µs/req', 'CPU overhead % vs bare', 'req/s', 'req/s loss % vs bare'], rows);
}
