// The primary's transport for userland dispatch: a listening socket whose raw connection handles
// go to a Dispatcher, and child_process IPC to the workers. Used by the primary (workers forked by
// cluster) and by the IPC tests (children forked by the test), so both run the same code.
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { getSystemErrorName } from 'node:util';
import type { ConnInfo, Picker } from '../../strategies/types.js';
import { type Closable, countAcceptError, Dispatcher, type DispatchTarget, isWorkerReply } from './dispatch.js';

/** A worker process as the transport sees it (a cluster worker's `.process`, or a forked child). */
export interface Peer {
  id: number;
  proc: ChildProcess;
}

export interface DispatchListener {
  dispatcher: Dispatcher<Closable>;
  server: Server;
  port: number;
}

/**
 * Accept raw TCP handles, as core's RoundRobinHandle does: no net.Socket per connection in the
 * primary. `_handle.onconnection` is internal (net.Server's accept callback); checked, not assumed.
 */
export function onRawConnection(server: Server, take: (handle: Closable) => void, failed: (code: string) => void = () => {}): void {
  const handle = (server as unknown as { _handle?: { onconnection?: unknown } })._handle;
  if (!handle || typeof handle.onconnection !== 'function')
    throw new Error(`Node ${process.version}: net.Server has no _handle.onconnection, so userland dispatch cannot accept raw handles`);
  handle.onconnection = (err: number, client?: Closable) => {
    // An accept error (EMFILE) is skipped, as core's RR does, and counted by name.
    if (err === 0 && client) take(client);
    else failed(err === 0 ? 'NO_HANDLE' : getSystemErrorName(err));
  };
}

const targetOf = ({ id, proc }: Peer): DispatchTarget<Closable> => ({
  id,
  pid: proc.pid ?? 0,
  send: (msg, handle, cb) => {
    if (!proc.connected) return cb(new Error('worker disconnected'));
    proc.send(msg, handle as never, (err: Error | null) => cb(err ?? null));
  },
});

/** Wire worker `i`'s replies; once its channel closes (it exited, or is going), nothing more is picked for it. */
function wire(d: Dispatcher<Closable>, { proc }: Peer, i: number): void {
  proc.on('message', (m: unknown, handle: unknown) => isWorkerReply(m) && d.onReply(i, m, handle as Closable | undefined));
  proc.on('disconnect', () => d.remove(i));
  proc.on('exit', () => d.remove(i));
}

/** A worker that joined after the start (a replacement, --respawn): it takes connections from now on. Returns its index. */
export function addPeer(d: Dispatcher<Closable>, peer: Peer): number {
  const i = d.add(targetOf(peer));
  wire(d, peer, i);
  return i;
}

/** A raw TCP handle's peer address (libuv getpeername), or undefined when it cannot say. */
function peerOf(handle: Closable): ConnInfo | undefined {
  const out: { address?: string } = {};
  const h = handle as unknown as { getpeername?: (o: object) => number };
  return typeof h.getpeername === 'function' && h.getpeername(out) === 0 && out.address ? { remoteAddress: out.address } : undefined;
}

export function listenDispatch(
  peers: readonly Peer[],
  picker: Picker,
  rng: () => number,
  listen: { host: string; port: number; backlog: number },
  /** The picker places by client address (sticky): read it on every accept. */
  needsAddress = false,
): Promise<DispatchListener> {
  const d = new Dispatcher<Closable>(peers.map(targetOf), picker, rng);
  for (const [i, p] of peers.entries()) wire(d, p, i);
  const server = createServer();
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listen.host, port: listen.port, backlog: listen.backlog }, () => {
      try {
        onRawConnection(server, needsAddress ? (h) => d.dispatch(h, peerOf(h)) : (h) => d.dispatch(h), (code) =>
          countAcceptError(d.stats, code),
        );
      } catch (err) {
        server.close();
        reject(err);
        return;
      }
      const addr = server.address();
      resolve({ dispatcher: d, server, port: typeof addr === 'object' && addr ? addr.port : listen.port });
    });
  });
}
