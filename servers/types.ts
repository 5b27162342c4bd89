import type { Server } from 'node:http';
import type { WorkProfile } from './work.js';

/** What a worker counted itself, cumulative since start. */
export interface Counters {
  requests: number;
  connections: number;
  /** With `latency` (serve --stats): time from a request's arrival to its response's last byte handed to the OS. */
  latency?: LatencyCounts;
}

/** The upper bounds (seconds) of the response-time buckets: OpenMetrics' histogram at GET /metrics (serve --stats). */
export const LATENCY_BUCKETS_S = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5] as const;

/** Responses per bucket (not cumulative; the last one is above every bound) and their sum, seconds. */
export interface LatencyCounts {
  buckets: number[];
  sumS: number;
}

/** Time every response from here to its 'finish' into `counters.latency` (made on first use). */
export function timeResponse(res: import('node:http').ServerResponse, counters: Counters): void {
  const t0 = performance.now();
  res.once('finish', () => {
    const s = (performance.now() - t0) / 1000;
    counters.latency ??= { buckets: new Array<number>(LATENCY_BUCKETS_S.length + 1).fill(0), sumS: 0 };
    let i = 0;
    while (i < LATENCY_BUCKETS_S.length && s > LATENCY_BUCKETS_S[i]) i++;
    counters.latency.buckets[i]++;
    counters.latency.sumS += s;
  });
}

export interface AppOptions {
  /** Set `x-worker-pid` and count requests/connections (default true; off only to measure the harness). */
  instrument: boolean;
  work: WorkProfile;
  /** Random source for mixed work (seeded per worker by the caller). */
  draw: () => number;
  /** The pid written to `x-worker-pid` (default process.pid). */
  pid?: number;
  /** Time each response into `counters.latency` (serve --stats: GET /metrics); off in a bench, which times at the client. */
  latency?: boolean;
}

/** A worker app: its HTTP server (listen on it, or emit 'connection' into it) and its counters. */
export interface WorkerApp {
  readonly server: Server;
  readonly counters: Counters;
  ready(): Promise<void>;
  close(): Promise<void>;
  /** Turn the pid header and counters on or off at run time (perf:overhead's paired windows).
   *  An app built with `instrument: false` has no instrumentation to turn on. */
  setInstrumented(on: boolean): void;
}

export type AppBuilder = (opts: AppOptions) => WorkerApp;

/** A plain node:http server as a worker app: ready at once; closing it ends every connection. */
export function httpWorkerApp(server: Server, counters: Counters, setInstrumented: (on: boolean) => void): WorkerApp {
  return {
    server,
    counters,
    ready: async () => {},
    setInstrumented,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const PID_HEADER = 'x-worker-pid';
export const BODY = 'hello\n';

/** Count every connection the server takes (accepted by it, or emitted into it by the dispatcher). */
export function countConnections(server: Server, counters: Counters, on: () => boolean): void {
  server.on('connection', () => {
    if (on()) counters.connections++;
  });
}
