// proxy: each worker listens on a port of its own; the primary accepts and pipes every connection
// to one of them (the mechanism: ../proxy.ts).
import type { ArchitectureStrategy } from '../../../strategies/types.js';
import type { Worker } from '../forks.js';
import { listenProxy, type ProxyStats } from '../proxy.js';
import { allReady, type ClusterKind, listenThenReady } from './kind.js';

export const proxy: ClusterKind<ArchitectureStrategy> = {
  primaryFds: () => 2, // the client's socket and its own to the worker, for as long as the connection lasts
  primary: (_def, config) => {
    let listener: { close(): void; stats: ProxyStats } | undefined;
    /** Each worker's own port, once it is ready. */
    const ownPorts = new Map<Worker, number>();
    return {
      canAdd: true,
      listen: async (workers, ready) => {
        const ports = await allReady(workers, ready);
        for (const [i, w] of workers.entries()) ownPorts.set(w, ports[i]);
        const upstreams = () => [...ownPorts].map(([w, port]) => ({ port, alive: () => !w.isDead() }));
        const { server, port, stats } = await listenProxy(upstreams, config);
        listener = { close: () => server.close(), stats };
        return port;
      },
      // A replacement's port joins the round; one leaving is skipped once it is dead.
      add: (w, port) => void ownPorts.set(w, port),
      stats: () =>
        listener && {
          dispatched: listener.stats.proxied,
          refused: 0,
          dropped: 0,
          ...(listener.stats.acceptErrors && { acceptErrors: { ...listener.stats.acceptErrors } }),
        },
      close: () => listener?.close(),
    };
  },
  worker: (ctx) => {
    const { host, backlog } = ctx.config;
    listenThenReady(ctx, { host, port: 0, backlog, exclusive: true }, 0);
  },
};
