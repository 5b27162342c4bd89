// A cluster worker: build the app under test, then listen (native strategies) or take the
// connections the primary dispatches (userland strategies). Answers snapshots and close.
import cluster from 'node:cluster';
import { SERVERS } from '../../servers/registry.js';
import { parseWork } from '../../servers/work.js';
import { seededRng } from '../../strategies/rng.js';
import { acceptDispatched } from './dispatch-worker.js';
import { cpuUs, IPC_GONE, type PrimaryToWorker, WORKER_ENV, type WorkerConfig, type WorkerToPrimary } from './protocol.js';

const CLOSE_DEADLINE_MS = 2000;
// A primary going away can close IPC under a send (EPIPE); the worker exits on 'disconnect' anyway.
const send = (m: WorkerToPrimary): void => void (process.connected && process.send?.(m, undefined, undefined, () => {}));

async function main(): Promise<void> {
  const config = JSON.parse(process.env[WORKER_ENV] ?? '') as WorkerConfig;
  const app = SERVERS[config.server]({
    instrument: config.instrument,
    work: parseWork(config.work),
    draw: seededRng(config.seed + process.pid),
  });
  let closing = false;

  process.on('message', (m: PrimaryToWorker) => {
    if (m?.type === 'csb:instrument') app.setInstrumented(m.on);
    else if (m?.type === 'csb:snapshot') {
      const { requests, connections } = app.counters;
      send({ type: 'csb:snapshot', id: m.id, counts: { pid: process.pid, requests, connections, cpuUs: cpuUs() } });
    } else if (m?.type === 'csb:close' && !closing) {
      closing = true;
      setTimeout(() => process.exit(0), CLOSE_DEADLINE_MS).unref();
      void app.close().finally(() => process.exit(0));
    }
  });
  // Ctrl-C reaches every process in the group; the primary closes us in order.
  process.on('SIGINT', () => {});
  // cluster's Worker re-emits IPC errors of this process (its own messages carry no callback); with
  // the primary gone (EPIPE) we exit on 'disconnect' anyway, so that is no crash.
  cluster.worker?.on('error', (err: NodeJS.ErrnoException) => {
    if (!IPC_GONE.has(err.code ?? '')) send({ type: 'csb:fatal', message: err.message });
  });

  await app.ready();
  if (config.mode === 'dispatch') {
    acceptDispatched(app.server, () => closing, config.reportCloses);
    send({ type: 'csb:ready', port: 0 });
    return;
  }
  app.server.once('error', (err) => send({ type: 'csb:fatal', message: err.message }));
  app.server.listen({ host: config.host, port: config.port, backlog: config.backlog }, () => {
    const addr = app.server.address();
    send({ type: 'csb:ready', port: typeof addr === 'object' && addr ? addr.port : config.port });
  });
}

main().catch((err: Error) => {
  send({ type: 'csb:fatal', message: err.message });
  process.exitCode = 1;
});
