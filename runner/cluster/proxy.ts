// The proxy architecture: the primary listens, and pipes each client connection at TCP level to a
// worker listening on a port of its own (round-robin over the live ones). Two descriptors per
// connection in the primary, every byte copied through it twice (in from one socket, out to the
// other, each way): what the cost table shows against rr, which hands the descriptor over once.
import { connect, createServer, type Server, type Socket } from 'node:net';

/** A worker the proxy can send to: its own port, while it is alive. */
export interface Upstream {
  port: number;
  alive(): boolean;
}

/** Connections piped. One that fails (no worker alive, or the one chosen died) is reset: the client counts it by code. */
export interface ProxyStats {
  proxied: number;
  /** Connections its accept failed on, by error (EMFILE: two descriptors per connection reach the open-file limit). */
  acceptErrors?: Record<string, number>;
}

export function listenProxy(
  upstreams: () => readonly Upstream[],
  listen: { host: string; port: number; backlog: number },
): Promise<{ server: Server; port: number; stats: ProxyStats }> {
  const stats: ProxyStats = { proxied: 0 };
  let next = 0;
  const server = createServer({ noDelay: true }, (client: Socket) => {
    const live = upstreams().filter((u) => u.alive());
    if (live.length === 0) {
      client.destroy();
      return;
    }
    const u = live[next++ % live.length];
    const upstream = connect({ host: listen.host, port: u.port, noDelay: true });
    stats.proxied++;
    // Either side failing ends both: the client sees a reset, as with a worker that died.
    const fail = (): void => {
      client.destroy();
      upstream.destroy();
    };
    upstream.once('error', fail);
    client.once('error', fail);
    client.pipe(upstream);
    upstream.pipe(client);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listen.host, port: listen.port, backlog: listen.backlog }, () => {
      // Listening: from now on an error is a failed accept (EMFILE), one of many perhaps: counted, never fatal.
      server.off('error', reject);
      server.on('error', (err: NodeJS.ErrnoException) => {
        stats.acceptErrors ??= {};
        const code = err.code ?? err.name;
        stats.acceptErrors[code] = (stats.acceptErrors[code] ?? 0) + 1;
      });
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : listen.port, stats });
    });
  });
}
