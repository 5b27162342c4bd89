// bench:pick: how long each dispatch strategy's pick() takes, at 2, 8, 32 and 128 workers.
// Picks are timed in batches: one pick is a few ns, below the timer's resolution.
import { Bench } from 'tinybench';
import { STRATEGIES, STRATEGY_NAMES } from '../../strategies/registry.js';
import { seededRng } from '../../strategies/rng.js';
import type { WorkerLoad } from '../../strategies/types.js';
import { table } from './stats.js';

export const WORKER_COUNTS = [2, 8, 32, 128] as const;
const BATCH = 1000;

/** Loads that move like a real run's: each pick opens a connection, and one elsewhere closes. */
function loads(n: number, rng: () => number): WorkerLoad[] {
  return Array.from({ length: n }, (_, i) => ({ id: i + 1, pid: 1000 + i, active: Math.floor(rng() * 50), served: 0 }));
}

export async function benchPick(timeMs = 300): Promise<string> {
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
          const k = picker.pick(ws, rng);
          ws[k].active++;
          ws[k].served++;
          closer = (closer + 1) % n;
          if (ws[closer].active > 0) ws[closer].active--;
        }
      });
    }
  }
  await bench.run();
  const rows: string[][] = [];
  for (const task of bench.tasks) {
    const r = task.result;
    if (r.state !== 'completed') {
      rows.push([task.name, r.state, '', '', '']);
      continue;
    }
    const [name, n] = task.name.split(' ');
    const nsPerPick = (ms: number): string => ((ms * 1e6) / BATCH).toFixed(1);
    rows.push([name, n, nsPerPick(r.latency.mean), nsPerPick(r.latency.p99), `±${r.latency.rme.toFixed(1)}%`, (r.throughput.mean * BATCH / 1e6).toFixed(1)]);
  }
  return table(['strategy', 'workers', 'ns/pick mean', 'ns/pick p99', 'rme', 'Mpicks/s'], rows);
}
