// A worker: build the app under test, then take connections the way its strategy's kind does
// (kinds/: through cluster's shared handle, its own SO_REUSEPORT socket, its own port behind the
// proxy, the listening handle the primary sends, or handles dispatched over IPC) and say
// csb:ready. Answers snapshots, instrument, faults and close.
import cluster from 'node:cluster';
import { buildUserApp, importApp } from '../../servers/app.js';
import { SERVERS } from '../../servers/registry.js';
import { seededRng } from '../../strategies/rng.js';
import { KINDS } from './kinds/index.js';
import { cpuUs, type Fault, IPC_GONE, type PrimaryToWorker, WORKER_ENV, type WorkerConfig, type WorkerToPrimary } from './protocol.js';
import { faultable } from './worker-faults.js';

const CLOSE_DEADLINE_MS = 2000;
/** While draining: how often keep-alive connections that went idle are closed. */
const DRAIN_POLL_MS = 20;
// A primary going away can close IPC under a send (EPIPE); the worker exits on 'disconnect' anyway.
const send = (m: WorkerToPrimary): void => void (process.connected && process.send?.(m, undefined, undefined, () => {}));

async function main(): Promise<void> {
  const config = JSON.parse(process.env[WORKER_ENV] ?? '') as WorkerConfig;
  const appOptions = {
    instrument: config.instrument,
    work: config.work,
    draw: seededRng(config.seed + process.pid),
    ...(config.latency && { latency: true }),
  };
  // --app: the user's service, wrapped; it was loaded and tried before the cluster started (runner/user-app.ts).
  const app = config.app !== undefined ? buildUserApp(await importApp(config.app), appOptions) : SERVERS[config.server](appOptions);
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
      // As a production drain does it: stop listening, close each keep-alive connection once it is idle
      // (a request in flight finishes first), and only at the deadline cut what is left.
      send({ type: 'csb:leaving' });
      drain(() =>
        close(() => {
          if (process.connected) process.send?.({ type: 'csb:final', counts: counts() }, undefined, undefined, () => process.exit(0));
          else process.exit(0);
        }),
      );
    }
  };
  const drain = (then: () => void): void => {
    const server = app.server;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearInterval(idle);
      then();
    };
    const idle = setInterval(() => server.closeIdleConnections(), DRAIN_POLL_MS);
    setTimeout(finish, CLOSE_DEADLINE_MS).unref();
    server.close(finish);
    server.closeIdleConnections();
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
  KINDS[config.kind].worker({ server: app.server, config, options: config.options, closing: () => closing, send });
}

main().catch((err: Error) => {
  send({ type: 'csb:fatal', message: err.message });
  process.exitCode = 1;
});
