// A load-generator process (--clients K > 1): the runner forks K of these, each fires its share
// of every round and keeps its own tally. Messages (child_process IPC):
//
//   runner --load{opts share, target, workers, origin}--> client: fresh tally            --loaded-->
//   runner --go{round}--> every client at once (the barrier: all idle, then all released)
//          client fires its share --records[] (only if rows are kept)--> --fired{round, sent, counts}-->
//   runner --finish--> client --finished{tally export, cpu}-->
import { cpuUs } from '../cluster/protocol.js';
import type { RunOptions } from '../options.js';
import { Tally } from '../tally.js';
import { BATCH, type FromClient, type ToClient, type WireRecord } from './client-protocol.js';
import { fireLoad } from './index.js';
import type { LoadClock, Target } from './types.js';

function main(): void {
  const send = (m: FromClient): void => void (process.connected && process.send?.(m));
  let tally: Tally | undefined;
  let load: RunOptions | undefined;
  let phaseMs = 0;
  let target: Target | undefined;
  let clock: LoadClock = { origin: 0 };
  let batch: WireRecord[] = [];
  let cpu0 = process.cpuUsage();
  let stop = new AbortController();
  const flush = (): void => {
    if (batch.length > 0) send({ type: 'records', recs: batch });
    batch = [];
  };
  process.on('message', (m: ToClient) => {
    if (m.type === 'load') {
      const keep = m.keepRecords;
      tally = new Tally(
        m.workers,
        keep
          ? (r) => {
              batch.push([r.round, r.pid, r.status, r.latencyUs, r.error, r.atMs, r.src ?? -1]);
              if (batch.length >= BATCH) flush();
            }
          : undefined,
      );
      load = m.opts;
      phaseMs = m.phaseMs;
      target = m.target;
      // One time base for every process: the runner's load start, as wall-clock milliseconds.
      clock = { origin: m.originEpochMs - performance.timeOrigin };
      cpu0 = process.cpuUsage();
      send({ type: 'loaded' });
    } else if (m.type === 'go' && tally && load && target) {
      const t = tally;
      if (stop.signal.aborted) stop = new AbortController();
      const o = load;
      fireLoad({ target, settings: o, deadlineMs: o.roundTimeoutMs, round: m.round, clock, sink: t.add, stop: stop.signal, phaseMs }).then(
        ({ sent }) => {
          flush();
          send({ type: 'fired', round: m.round, sent, seen: t.round(m.round) });
        },
        (err: Error) => send({ type: 'failed', message: err.message }),
      );
    } else if (m.type === 'stop') stop.abort(m.reason);
    else if (m.type === 'worker') tally?.addWorker(m.worker);
    else if (m.type === 'finish' && tally) {
      flush();
      send({ type: 'finished', tally: tally.export(), cpuUs: cpuUs(process.cpuUsage(cpu0)) });
    }
  });
  // The runner is gone: never outlive it.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGINT', () => {}); // Ctrl-C reaches the whole group: the runner ends us in order
}

main();
