// perf:overhead: what the harness itself costs under keep-alive load, in three variants:
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
import { median, ratios } from '../../format/stats.js';
import { ClusterProcess } from '../../runner/cluster/handle.js';
import type { Snapshot } from '../../runner/cluster/protocol.js';
import { DEFAULTS } from '../../runner/options.js';
import type { ServerName } from '../../servers/registry.js';
import type { StrategyName } from '../../strategies/registry.js';

export interface OverheadOptions {
  reps: number;
  durationS: number;
  connections: number;
  workers: number;
  server: ServerName;
  strategy: StrategyName;
}

export type Variant = 'bare' | 'server' | 'full';
export const VARIANTS: readonly Variant[] = ['bare', 'server', 'full'];

/** Per variant: the medians, and the overhead against bare within each cycle (percent, one per cycle). */
export interface VariantSummary {
  variant: Variant;
  cpuUsPerReq: number;
  rps: number;
  cpuOverheadPct: number[];
  rpsLossPct: number[];
}

interface Sample {
  rps: number;
  cpuUsPerReq: number;
}

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
          for (let i = 0; i < raw.length; i += 2)
            if (raw[i] === 'x-worker-pid') {
              seen++;
              break;
            }
        }),
    }),
  });
  const after = await cluster.snapshot();
  if (v === 'full' && seen === 0) throw new Error('the pid hook saw no x-worker-pid header');
  if (result.errors > 0 || result.non2xx > 0) throw new Error(`${v}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
  const served = result.requests.total;
  return { rps: served / (result.duration || o.durationS), cpuUsPerReq: (workerCpu(after) - workerCpu(before)) / served };
}

export async function measureOverhead(o: OverheadOptions, log: (s: string) => void): Promise<VariantSummary[]> {
  const rps: Record<Variant, number[]> = { bare: [], server: [], full: [] };
  const cpu: Record<Variant, number[]> = { bare: [], server: [], full: [] };
  const cluster = await ClusterProcess.start({
    strategy: o.strategy,
    workers: o.workers,
    server: o.server,
    host: DEFAULTS.host,
    port: 0,
    backlog: DEFAULTS.backlog,
    seed: 1,
    work: DEFAULTS.work,
    instrument: true,
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
      log(
        `  cycle ${rep + 1}/${o.reps}: ${VARIANTS.map((v) => `${v} ${Math.round(rps[v][rep])} req/s ${cpu[v][rep].toFixed(1)} µs/req`).join(', ')}`,
      );
    }
  } finally {
    await cluster.stop();
  }
  const pctOver = (xs: number[]): number[] => xs.map((x) => (x - 1) * 100);
  return VARIANTS.map((v) => ({
    variant: v,
    cpuUsPerReq: median(cpu[v]),
    rps: median(rps[v]),
    cpuOverheadPct: pctOver(ratios(cpu[v], cpu.bare)),
    rpsLossPct: pctOver(ratios(rps.bare, rps[v])), // >0: slower than bare
  }));
}
