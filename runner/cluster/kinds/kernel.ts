// kernel (reuseport): every worker binds the port with a socket of its own (SO_REUSEPORT, not
// through the primary), and the kernel hashes each connection to one of them (Node >= 22.12).
import { createServer } from 'node:net';
import type { KernelStrategy } from '../../../strategies/types.js';
import { allReady, type ClusterKind, listenThenReady } from './kind.js';

/** listen()'s reusePort, which @types/node 20 does not know. */
const REUSE_PORT = { reusePort: true };

export const kernel: ClusterKind<KernelStrategy> = {
  primary: async (_def, config) => ({
    // Every worker binds it itself, so it must be known before they start.
    port: config.port === 0 ? await freePort(config.host) : config.port,
    canAdd: true,
    listen: async (workers, ready) => (await allReady(workers, ready))[0],
  }),
  worker: (ctx) => {
    const { host, port, backlog } = ctx.config;
    listenThenReady(ctx, { host, port, backlog, exclusive: true, ...REUSE_PORT }, port);
  },
};

/** A port free on `host` now (bound and released at once). */
function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen({ host, port: 0, exclusive: true }, () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}
