import { benchOverhead, OVERHEAD_FLAGS, overheadHelp, overheadOptions } from '../runner/bench/overhead.js';
import { stopAll } from '../runner/cluster/handle.js';
import { parseFlags } from '../runner/flags.js';

let o;
try {
  const { values } = parseFlags(process.argv.slice(2), OVERHEAD_FLAGS, false);
  if (values.help) {
    console.log(overheadHelp());
    process.exit(0);
  }
  o = overheadOptions(values);
} catch (err) {
  console.error(`error: ${(err as Error).message.split('\n')[0]}`);
  process.exit(2);
}
process.once('SIGINT', () => void stopAll().finally(() => process.exit(130)));
console.error(`harness overhead: keep-alive, ${o.connections} connections, ${o.reps} cycles of ${o.durationS} s windows per variant, one cluster (${o.workers} workers, ${o.server}, rr)`);
try {
  console.log(await benchOverhead(o, (s) => console.error(s)));
} finally {
  await stopAll();
}
