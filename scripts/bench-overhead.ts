import { parseArgs } from 'node:util';
import { benchOverhead } from '../runner/bench/overhead.js';
import { stopAll } from '../runner/cluster/handle.js';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    duration: { type: 'string', default: '5' },
    connections: { type: 'string', default: '100' },
    workers: { type: 'string', default: '2' },
    server: { type: 'string', default: 'http' },
  },
});
const o = {
  reps: Number(values.reps), durationS: Number(values.duration), connections: Number(values.connections),
  workers: Number(values.workers), server: values.server, strategy: 'rr' as const,
};
for (const [k, v] of Object.entries(o)) if (typeof v === 'number' && !(Number.isInteger(v) && v > 0)) {
  console.error(`invalid --${k === 'durationS' ? 'duration' : k} '${v}': expected a whole number above 0`);
  process.exit(2);
}
if (o.server !== 'http' && o.server !== 'fastify') {
  console.error(`unknown --server '${o.server}' (valid: fastify, http)`);
  process.exit(2);
}
process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
console.error(`harness overhead: keep-alive, ${o.connections} connections, ${o.durationS} s x ${o.reps} reps, ${o.workers} workers, ${o.server}, rr`);
try {
  console.log(await benchOverhead(o, (s) => console.error(s)));
} finally {
  await stopAll();
}
