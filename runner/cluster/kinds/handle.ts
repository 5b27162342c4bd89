// handle (shared-handle): no cluster module. The primary forks plain children, listens, sends the
// listening server to every child (each then accepts on it, as SCHED_NONE's workers do) and
// closes its own copy once they all listen, so the primary itself never accepts.
import { createServer } from 'node:net';
import type { ArchitectureStrategy } from '../../../strategies/types.js';
import { plainFork } from '../forks.js';
import type { PrimaryToWorker } from '../protocol.js';
import { allReady, type ClusterKind, reportListenError } from './kind.js';

export const handle: ClusterKind<ArchitectureStrategy> = {
  primary: (_def, config) => ({
    fork: plainFork,
    // The primary let go of the listening socket once its children had it: nothing to hand a replacement.
    canAdd: false,
    listen: async (workers, ready) => {
      await Promise.all(workers.map((w) => ready(w, 'csb:booted')));
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host: config.host, port: config.port, backlog: config.backlog }, resolve);
      });
      const addr = server.address();
      const listening = allReady(workers, ready);
      for (const w of workers) w.process.send({ type: 'csb:listen' } satisfies PrimaryToWorker, server);
      await listening;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return typeof addr === 'object' && addr ? addr.port : config.port;
    },
  }),
  worker: (ctx) => {
    reportListenError(ctx);
    process.on('message', (m: PrimaryToWorker, handle: unknown) => {
      if (m?.type !== 'csb:listen' || !handle) return;
      ctx.server.listen(handle as never, () => ctx.send({ type: 'csb:ready', port: ctx.config.port }));
    });
    ctx.send({ type: 'csb:booted' });
  },
};
