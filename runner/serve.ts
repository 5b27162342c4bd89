// One strategy's cluster as a standalone server (`npm run serve`), for any client: wrk, k6,
// autocannon, a browser, or `bench --target` from another machine. The app is the same as in a
// bench; only when asked (--stats) a second, read-only endpoint gives the workers' own counts.
import { createServer, type Server } from 'node:http';
import type { ServerName } from '../servers/registry.js';
import { LATENCY_BUCKETS_S } from '../servers/types.js';
import type { WorkProfile } from '../servers/work.js';
import type { StrategyName } from '../strategies/registry.js';
import { ClusterProcess } from './cluster/handle.js';
import type { Snapshot } from './cluster/protocol.js';

export interface ServeOptions {
  strategy: StrategyName;
  workers: number;
  server: ServerName;
  work: WorkProfile;
  host: string;
  port: number;
  backlog: number;
  seed: number;
  /** Serve GET /stats on another port of the same host. */
  stats: boolean;
  statsPort: number;
  node?: string;
  /** --app: the user's service, served by every worker (servers/app.ts). */
  app?: { file: string; sha256: string };
}

/** What GET /stats answers: every worker's own cumulative counts. `bench --target-stats` reads it. */
export interface ServeStats {
  strategy: string;
  at: string;
  workers: Array<{ id: number; pid: number; requests: number; connections: number }>;
}

export const STATS_PATH = '/stats';
/** OpenMetrics text of the same counts, and each worker's response times, for Prometheus. */
export const METRICS_PATH = '/metrics';
export const OPENMETRICS_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

/**
 * The workers' counts as OpenMetrics text: requests and connections per worker (counters), and
 * its response times (a histogram in seconds, arrival to the last byte handed to the OS).
 */
export function openMetricsText(strategy: string, snap: Snapshot, workers: ReadonlyArray<{ id: number; pid: number }>): string {
  const esc = (v: string): string => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  const labels = (w: { id: number; pid: number }, more = ''): string =>
    `{strategy="${esc(strategy)}",worker="${w.id}",pid="${w.pid}"${more}}`;
  const counts = workers.map((w) => ({ w, c: snap.workers.find((x) => x.pid === w.pid) }));
  const out = [
    '# TYPE csb_requests counter',
    '# HELP csb_requests Requests the worker counted.',
    ...counts.map(({ w, c }) => `csb_requests_total${labels(w)} ${c?.requests ?? 0}`),
    '# TYPE csb_connections counter',
    '# HELP csb_connections Connections the worker took.',
    ...counts.map(({ w, c }) => `csb_connections_total${labels(w)} ${c?.connections ?? 0}`),
    '# TYPE csb_request_duration_seconds histogram',
    '# UNIT csb_request_duration_seconds seconds',
    '# HELP csb_request_duration_seconds Time from a request reaching the worker to its response handed to the OS.',
  ];
  for (const { w, c } of counts) {
    const buckets = c?.latency?.buckets ?? new Array<number>(LATENCY_BUCKETS_S.length + 1).fill(0);
    let cumulative = 0;
    LATENCY_BUCKETS_S.forEach((le, i) => {
      cumulative += buckets[i];
      out.push(`csb_request_duration_seconds_bucket${labels(w, `,le="${le}"`)} ${cumulative}`);
    });
    cumulative += buckets[LATENCY_BUCKETS_S.length];
    out.push(`csb_request_duration_seconds_bucket${labels(w, ',le="+Inf"')} ${cumulative}`);
    out.push(`csb_request_duration_seconds_count${labels(w)} ${cumulative}`);
    out.push(`csb_request_duration_seconds_sum${labels(w)} ${c?.latency?.sumS ?? 0}`);
  }
  return `${out.join('\n')}\n# EOF\n`;
}

export interface Serving {
  url: string;
  statsUrl: string | null;
  workers: Array<{ id: number; pid: number }>;
  /** The workers' own counts now. */
  stats(): Promise<ServeStats>;
  stop(): Promise<void>;
  /** Resolves with why if the cluster's primary dies on its own: serving is over. */
  died: Promise<string>;
}

const hostInUrl = (h: string): string => (h.includes(':') ? `[${h}]` : h);

export function statsOf(strategy: string, snap: Snapshot, workers: ReadonlyArray<{ id: number; pid: number }>): ServeStats {
  return {
    strategy,
    at: new Date().toISOString(),
    workers: workers.map((w) => {
      const c = snap.workers.find((x) => x.pid === w.pid);
      return { id: w.id, pid: w.pid, requests: c?.requests ?? 0, connections: c?.connections ?? 0 };
    }),
  };
}

function listenStats(host: string, port: number, read: () => Promise<ServeStats>, metrics: () => Promise<string>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === METRICS_PATH) {
      metrics().then(
        (text) => res.writeHead(200, { 'content-type': OPENMETRICS_TYPE, 'cache-control': 'no-store' }).end(text),
        (err: Error) => res.writeHead(503, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
      );
      return;
    }
    if (req.method !== 'GET' || req.url !== STATS_PATH) {
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' }).end('read-only: GET /stats, GET /metrics\n');
      return;
    }
    read().then(
      (s) => res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(`${JSON.stringify(s)}\n`),
      (err: Error) => res.writeHead(503, { 'content-type': 'text/plain' }).end(`${err.message}\n`),
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => resolve(server));
  });
}

export async function serve(o: ServeOptions): Promise<Serving> {
  const cluster = await ClusterProcess.start({
    strategy: o.strategy,
    workers: o.workers,
    server: o.server,
    host: o.host,
    port: o.port,
    backlog: o.backlog,
    seed: o.seed,
    work: o.work,
    instrument: true,
    ...(o.node !== undefined && { execPath: o.node }),
    ...(o.app !== undefined && { app: o.app.file }),
    // Response times only when someone can read them (GET /metrics).
    ...(o.stats && { latency: true }),
  });
  const stats = async (): Promise<ServeStats> => statsOf(o.strategy, await cluster.snapshot(), cluster.workers);
  let statsServer: Server | undefined;
  try {
    const metrics = async (): Promise<string> => openMetricsText(o.strategy, await cluster.snapshot(), cluster.workers);
    if (o.stats) statsServer = await listenStats(o.host, o.statsPort, stats, metrics);
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  const addr = statsServer?.address();
  return {
    url: `http://${hostInUrl(o.host)}:${cluster.port}/`,
    statsUrl: addr && typeof addr === 'object' ? `http://${hostInUrl(o.host)}:${addr.port}${STATS_PATH}` : null,
    workers: cluster.workers,
    stats,
    died: cluster.died,
    stop: async () => {
      statsServer?.close();
      statsServer?.closeAllConnections();
      await cluster.stop();
    },
  };
}
