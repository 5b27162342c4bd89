// bench:overhead: what the harness itself costs under keep-alive load. Variants, interleaved per
// repetition, each in a fresh cluster:
//   bare     server writes no pid header and counts nothing; plain autocannon client
//   server   pid header + request/connection counters on (what every run uses); plain client
//   full     server instrumented + the client's per-response pid hook (what --load sustained uses)
// Reported as worker CPU time per request (the steadier measure on a shared machine: it barely
// moves when another process takes a core) and as req/s, each as a ratio to `bare` within the
// same repetition.
import autocannon from 'autocannon';
import { ClusterProcess } from '../cluster/handle.js';
import type { StrategyName } from '../../strategies/registry.js';
import { median, ratios, spread, table } from './stats.js';
import { isServerName, SERVER_NAMES } from '../../servers/registry.js';
import { msg, UsageError } from '../errors.js';
import { flagLines } from '../help.js';

export const OVERHEAD_FLAGS = {
  reps: { type: 'string', value: 'N', shown: '5', description: 'repetitions (variants interleaved, order rotated)' },
  duration: { type: 'string', value: 'S', shown: '5', description: 'seconds of keep-alive load per variant' },
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
  const int = (flag: string, fallback: number, max: number): number => {
    const text = values[flag] as string | undefined;
    if (text === undefined) return fallback;
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!(n >= 1 && n <= max)) throw new UsageError(msg.integer(flag, text, 1, max));
    return n;
  };
  const server = (values.server as string | undefined) ?? 'http';
  if (!isServerName(server)) throw new UsageError(msg.server(server, SERVER_NAMES.join(', ')));
  return { reps: int('reps', 5, 100), durationS: int('duration', 5, 600), connections: int('connections', 100, 10_000), workers: int('workers', 2, 64), server, strategy: 'rr' };
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

async function measure(o: OverheadOptions, v: Variant, seed: number): Promise<Sample> {
  const cluster = await ClusterProcess.start({
    strategy: o.strategy, workers: o.workers, server: o.server, host: '127.0.0.1', port: 0,
    backlog: 4096, seed, work: 'hello', instrument: v !== 'bare',
  });
  try {
    let seen = 0;
    const before = await cluster.snapshot();
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
    if (v === 'full' && seen === 0) throw new Error('the pid hook saw no x-worker-pid header');
    if (result.errors > 0 || result.non2xx > 0) throw new Error(`${v}: ${result.errors} errors, ${result.non2xx} non-2xx responses`);
    const after = await cluster.snapshot();
    const cpuUs = after.workers.reduce((a, w) => a + w.cpuUs, 0) - before.workers.reduce((a, w) => a + w.cpuUs, 0);
    return { rps: result.requests.total / (result.duration || o.durationS), cpuUsPerReq: cpuUs / result.requests.total };
  } finally {
    await cluster.stop();
  }
}

export async function benchOverhead(o: OverheadOptions, log: (s: string) => void): Promise<string> {
  const rps: Record<Variant, number[]> = { bare: [], server: [], full: [] };
  const cpu: Record<Variant, number[]> = { bare: [], server: [], full: [] };
  for (let rep = 0; rep < o.reps; rep++) {
    // Rotate the order each repetition so no variant always runs first (warm-up, thermal drift).
    const order = VARIANTS.map((_, i) => VARIANTS[(i + rep) % VARIANTS.length]);
    for (const v of order) {
      const s = await measure(o, v, rep + 1);
      rps[v].push(s.rps);
      cpu[v].push(s.cpuUsPerReq);
    }
    log(`  rep ${rep + 1}/${o.reps}: ${VARIANTS.map((v) => `${v} ${Math.round(rps[v][rep])} req/s ${cpu[v][rep].toFixed(1)} µs/req`).join(', ')}`);
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
