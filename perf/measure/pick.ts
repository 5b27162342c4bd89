// perf:pick: how long each dispatch strategy's pick() takes, at 2, 8, 32 and 128 workers.
// Picks are timed in batches: one pick is a few ns, below the timer's resolution.
import { Bench } from 'tinybench';
import { STRATEGIES, STRATEGY_NAMES } from '../../strategies/registry.js';
import { seededRng } from '../../strategies/rng.js';
import { HOLD, type WorkerLoad } from '../../strategies/types.js';

export const WORKER_COUNTS = [2, 8, 32, 128] as const;
const BATCH = 1000;
/** Client addresses for pickers that read them (sticky). */
const ADDRS = Array.from({ length: 64 }, (_, i) => `10.0.${i >> 4}.${i & 15}`);

/** Loads that move like a real run's: each pick opens a connection, and one elsewhere closes. */
function loads(n: number, rng: () => number): WorkerLoad[] {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1,
    pid: 1000 + i,
    active: Math.floor(rng() * 50),
    served: 0,
    requests: Math.floor(rng() * 4),
  }));
}

/** One strategy at one worker count: ns per pick (mean, p99), relative margin of error, picks per second. */
export interface PickRow {
  strategy: string;
  workers: number;
  state: string;
  nsMean: number;
  nsP99: number;
  rmePct: number;
  mPicksPerS: number;
}

export async function measurePick(timeMs = 300): Promise<PickRow[]> {
  const bench = new Bench({ name: 'pick', time: timeMs, warmupTime: 100 });
  for (const name of STRATEGY_NAMES) {
    const def = STRATEGIES[name];
    if (def.kind !== 'dispatch') continue;
    for (const n of WORKER_COUNTS) {
      const rng = seededRng(n);
      const ws = loads(n, rng);
      const picker = def.createPicker();
      let closer = 0;
      bench.add(`${name} ${n}`, () => {
        for (let b = 0; b < BATCH; b++) {
          let k = picker.pick(ws, rng, { remoteAddress: ADDRS[b % ADDRS.length] });
          // A holding picker (least-requests, none idle): the dispatcher would later ask its fallback.
          if (k === HOLD && picker.fallback) k = picker.fallback(ws, rng);
          ws[k].active++;
          ws[k].served++;
          ws[k].requests++;
          closer = (closer + 1) % n;
          if (ws[closer].active > 0) ws[closer].active--;
          if (ws[closer].requests > 0) ws[closer].requests--;
        }
      });
    }
  }
  await bench.run();
  return bench.tasks.map((task) => {
    const [strategy, n] = task.name.split(' ');
    const r = task.result;
    const row = { strategy, workers: Number(n), state: r.state, nsMean: NaN, nsP99: NaN, rmePct: NaN, mPicksPerS: NaN };
    if (r.state !== 'completed') return row;
    const ns = (ms: number): number => (ms * 1e6) / BATCH;
    return {
      ...row,
      nsMean: ns(r.latency.mean),
      nsP99: ns(r.latency.p99),
      rmePct: r.latency.rme,
      mPicksPerS: (r.throughput.mean * BATCH) / 1e6,
    };
  });
}
