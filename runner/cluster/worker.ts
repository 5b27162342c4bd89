// A cluster worker: build the app under test, then listen (native strategies) or take the
// connections the primary dispatches (userland strategies). Answers snapshots and close.
import cluster from 'node:cluster';
import { SERVERS } from '../../servers/registry.js';
import { seededRng } from '../../strategies/rng.js';
import { acceptDispatched } from './dispatch-worker.js';
import { cpuUs, type Fault, IPC_GONE, type PrimaryToWorker, WORKER_ENV, type WorkerConfig, type WorkerToPrimary } from './protocol.js';
import { faultable } from './worker-faults.js';

const CLOSE_DEADLINE_MS = 2000;
// A primary going away can close IPC under a send (EPIPE); the worker exits on 'disconnect' anyway.
const send = (m: WorkerToPrimary): void => void (process.connected && process.send?.(m, undefined, undefined, () => {}));

async function main(): Promise<void> {
  const config = JSON.parse(process.env[WORKER_ENV] ?? '') as WorkerConfig;
  const app = SERVERS[config.server]({
    instrument: config.instrument,
    work: config.work,
    draw: seededRng(config.seed + process.pid),
  });
  let closing = false;
  let instrumented = config.instrument;
  const faults = faultable(app, () => instrumented);
  const counts = () => ({ pid: process.pid, ...app.counters, cpuUs: cpuUs() });
  const close = (then: () => void): void => {
    if (closing) return;
    closing = true;
    faults.release();
    let done = false;
    const once = (): void => {
      if (!done) then();
      done = true;
    };
    setTimeout(once, CLOSE_DEADLINE_MS).unref();
    void app.close().finally(once);
  };
  const onFault = (f: Fault): void => {
    if (f.kind === 'hang') faults.hang();
    else if (f.kind === 'slow') faults.slow(f.ms);
    else if (f.kind === 'kill') {
      // The counts go out first (a small IPC write completes at once), then nothing more runs here:
      // to the sockets this is kill -9; to the reconciliation, the worker's last counts are exact.
      send({ type: 'csb:final', counts: counts() });
      process.kill(process.pid, 'SIGKILL');
    } else {
      // Graceful: no new connections (the primary picks another), finish the ones open, report, exit.
      send({ type: 'csb:leaving' });
      close(() => {
        if (process.connected) process.send?.({ type: 'csb:final', counts: counts() }, undefined, undefined, () => process.exit(0));
        else process.exit(0);
      });
    }
  };

  process.on('message', (m: PrimaryToWorker) => {
    if (m?.type === 'csb:instrument') {
      instrumented = config.instrument && m.on;
      app.setInstrumented(m.on);
    } else if (m?.type === 'csb:snapshot') send({ type: 'csb:snapshot', id: m.id, counts: counts() });
    else if (m?.type === 'csb:fault') onFault(m.fault);
    else if (m?.type === 'csb:close') close(() => process.exit(0));
  });
  // Ctrl-C (or a SIGTERM to the whole group) reaches every process; the primary closes us in order.
  // With the primary gone, cluster exits this worker on 'disconnect'.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => {});
  // cluster's Worker re-emits IPC errors of this process (its own messages carry no callback); with
  // the primary gone (EPIPE) we exit on 'disconnect' anyway, so that is no crash.
  cluster.worker?.on('error', (err: NodeJS.ErrnoException) => {
    if (!IPC_GONE.has(err.code ?? '')) send({ type: 'csb:fatal', message: err.message });
  });

  await app.ready();
  if (config.mode === 'dispatch') {
    acceptDispatched(app.server, () => closing, config.reportCloses, config.reportRequests === true);
    send({ type: 'csb:ready', port: 0 });
    return;
  }
  app.server.once('error', (err) => send({ type: 'csb:fatal', message: err.message }));
  if (config.mode === 'handle') {
    // shared-handle: the primary sends the listening server; every child accepts on it.
    process.on('message', (m: PrimaryToWorker, handle: unknown) => {
      if (m?.type !== 'csb:listen' || !handle) return;
      app.server.listen(handle as never, () => send({ type: 'csb:ready', port: config.port }));
    });
    send({ type: 'csb:booted' });
    return;
  }
  // own-port (proxy): a port of its own, which the primary pipes connections to.
  if (config.mode === 'own-port') {
    app.server.listen({ host: config.host, port: 0, backlog: config.backlog, exclusive: true }, () => {
      const addr = app.server.address();
      send({ type: 'csb:ready', port: typeof addr === 'object' && addr ? addr.port : 0 });
    });
    return;
  }
  // reuseport: a socket of its own (exclusive: not through the primary), sharing the port (Node >= 22.12).
  const own = config.mode === 'reuseport' ? { exclusive: true, reusePort: true } : {};
  app.server.listen({ host: config.host, port: config.port, backlog: config.backlog, ...own }, () => {
    const addr = app.server.address();
    send({ type: 'csb:ready', port: typeof addr === 'object' && addr ? addr.port : config.port });
  });
}

main().catch((err: Error) => {
  send({ type: 'csb:fatal', message: err.message });
  process.exitCode = 1;
});
