// The userland dispatch mechanism, worker side: take connections handed over IPC, feed them to
// the HTTP server as if it had accepted them, ack them, and report when each one closes.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ACCEPTED, CLOSED, CONN, REFUSED, type ConnMessage, type WorkerReply } from './dispatch.js';

const isConn = (m: unknown): m is ConnMessage => (m as { type?: unknown } | null)?.type === CONN;

/** Start taking dispatched connections. `closing()` true makes the worker refuse new ones. */
export function acceptDispatched(server: Server, closing: () => boolean, send: (m: WorkerReply) => void): void {
  process.on('message', (msg: unknown, handle: unknown) => {
    if (!isConn(msg)) return;
    const socket = handle as Socket | undefined;
    if (!socket || closing()) {
      socket?.destroy(); // our copy only: the primary still holds the connection and re-dispatches it
      send({ type: REFUSED, seq: msg.seq });
      return;
    }
    socket.setNoDelay(true); // injected sockets skip the server's own connection setup
    socket.once('close', () => send({ type: CLOSED, seq: msg.seq }));
    server.emit('connection', socket);
    socket.resume();
    send({ type: ACCEPTED, seq: msg.seq });
  });
}
