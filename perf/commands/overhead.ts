// `npm run perf:overhead`: what the harness itself costs under keep-alive load (perf/measure/overhead.ts).
import { UsageError } from '../../format/errors.js';
import { spread } from '../../format/stats.js';
import { alignedTable } from '../../reports/text.js';
import { stopAll } from '../../runner/cluster/handle.js';
import { type Command, type FlagValues, INTERRUPTED_EXIT } from '../../scripts/lib/command.js';
import { serverDoc, serverFlag } from '../../scripts/lib/flag-values.js';
import { type FlagDoc, intFlag } from '../../scripts/lib/flags.js';
import { measureOverhead, type OverheadOptions } from '../measure/overhead.js';

const PERF_DEFAULTS = { reps: 20, duration: 1.5, connections: 100, workers: 2, server: 'http' } as const;

export const OVERHEAD_FLAGS = {
  reps: {
    type: 'string',
    value: 'N',
    shown: String(PERF_DEFAULTS.reps),
    description: 'cycles of bare/server/full windows (order rotated)',
  },
  duration: { type: 'string', value: 'S', shown: String(PERF_DEFAULTS.duration), description: 'seconds per window' },
  connections: { type: 'string', value: 'C', shown: String(PERF_DEFAULTS.connections), description: 'keep-alive connections' },
  workers: { type: 'string', value: 'N', shown: String(PERF_DEFAULTS.workers), description: 'workers per cluster' },
  server: serverDoc(PERF_DEFAULTS.server),
} as const satisfies Record<string, FlagDoc>;

/** Validated options from parsed flags; throws UsageError naming the bad value. */
export function overheadOptions(values: FlagValues): OverheadOptions {
  const int = (flag: keyof typeof OVERHEAD_FLAGS, fallback: number, max: number): number =>
    intFlag(flag, values[flag] as string | undefined, fallback, 1, max);
  const seconds = (flag: keyof typeof OVERHEAD_FLAGS, fallback: number, max: number): number => {
    const text = values[flag] as string | undefined;
    if (text === undefined) return fallback;
    const n = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
    if (!(n >= 0.5 && n <= max)) throw new UsageError(`invalid --${flag} '${text}': expected seconds from 0.5 to ${max}`);
    return n;
  };
  const server = serverFlag((values.server as string | undefined) ?? PERF_DEFAULTS.server);
  return {
    reps: int('reps', PERF_DEFAULTS.reps, 200),
    durationS: seconds('duration', PERF_DEFAULTS.duration, 600),
    connections: int('connections', PERF_DEFAULTS.connections, 10_000),
    workers: int('workers', PERF_DEFAULTS.workers, 64),
    server,
    strategy: 'rr',
  };
}

export const perfOverhead: Command<OverheadOptions> = {
  name: 'perf:overhead',
  summary: 'Measure what the harness costs (pid header, counters, client pid hook) under keep-alive load.',
  flags: OVERHEAD_FLAGS,
  examples: ['npm run perf:overhead', 'npm run perf:overhead -- --reps 1 --duration 1 --workers 2   # a quick look'],
  exitCodes: `0 ok, 1 a failed window, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse: overheadOptions,
  cleanup: stopAll,
  async run(o, { err, out }) {
    err.write(
      `harness overhead: keep-alive, ${o.connections} connections, ${o.reps} cycles of ${o.durationS} s windows per variant, one cluster (${o.workers} workers, ${o.server}, rr)\n`,
    );
    const summary = await measureOverhead(o, (s) => err.write(`${s}\n`));
    const rows = summary.map((v) => [
      v.variant,
      v.cpuUsPerReq.toFixed(1),
      v.variant === 'bare' ? '' : spread(v.cpuOverheadPct, 1),
      String(Math.round(v.rps)),
      v.variant === 'bare' ? '' : spread(v.rpsLossPct, 1),
    ]);
    out.write(`${alignedTable(['variant', 'worker CPU µs/req', 'CPU overhead % vs bare', 'req/s', 'req/s loss % vs bare'], rows)}\n`);
    return 0;
  },
};
