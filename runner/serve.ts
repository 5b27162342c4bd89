// One strategy's cluster as a standalone server (`npm run serve`), for any client: wrk, k6,
// autocannon, a browser, or `bench --target` from another machine. The app is the same as in a
// bench; only when asked (--stats) a second, read-only endpoint gives the workers' own counts.
import { createServer, type Server } from 'node:http';
import type { ServerName } from '../servers/registry.js';
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

function listenStats(host: string, port: number, read: () => Promise<ServeStats>): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url !== STATS_PATH) {
      res.writeHead(req.method === 'GET' ? 404 : 405, { 'content-type': 'text/plain' }).end('read-only: GET /stats\n');
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
  });
  const stats = async (): Promise<ServeStats> => statsOf(o.strategy, await cluster.snapshot(), cluster.workers);
  let statsServer: Server | undefined;
  try {
    if (o.stats) statsServer = await listenStats(o.host, o.statsPort, stats);
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
