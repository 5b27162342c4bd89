// The userland dispatch mechanism, worker side: take raw connection handles sent over IPC, wrap
// each in a net.Socket and feed it to the HTTP server as if it had accepted it. While shutting
// down, hand the raw handle back to the primary (before anything read from it, so no request
// bytes are lost). Report closes only when the strategy needs them, batched once per tick.
import type { Server } from 'node:http';
import { Socket } from 'node:net';
import { CLOSED, CONN, type ConnMessage, LOAD, REFUSED, type WorkerReply } from './dispatch.js';

const isConn = (m: unknown): m is ConnMessage => (m as { type?: unknown } | null)?.type === CONN;

/** A raw connection handle as child_process delivers it ('net.Native'): a TCP wrap. */
export interface RawHandle {
  close(): void;
}

export interface ReceiverDeps<H extends RawHandle, S extends { once(ev: 'close', f: () => void): unknown }> {
  /** true while shutting down: new connections are handed back. */
  closing(): boolean;
  send(msg: WorkerReply, handle: H | undefined, cb: (err: Error | null) => void): void;
  /** Turn the raw handle into a live connection of the server; returns the socket. */
  accept(handle: H): S;
  /** Report closes (the strategy's picker reads `active`). */
  reportCloses: boolean;
  /** Runs `f` once after the current batch of I/O (setImmediate in a worker). */
  defer(f: () => void): void;
  /** Counts each connection taken (the in-flight reports of `trackRequests` carry it). */
  onTaken?: () => void;
}

/** The message handler of a worker, testable with fake handles and sockets. */
export function createReceiver<H extends RawHandle, S extends { once(ev: 'close', f: () => void): unknown }>(
  deps: ReceiverDeps<H, S>,
): (msg: unknown, handle: unknown) => void {
  let closed = 0;
  const flush = (): void => {
    const n = closed;
    closed = 0;
    deps.send({ type: CLOSED, n }, undefined, () => {});
  };
  const onClose = (): void => {
    if (closed++ === 0) deps.defer(flush);
  };
  return (msg, raw) => {
    if (!isConn(msg)) return;
    const handle = raw as H | undefined;
    if (!handle || deps.closing()) {
      // Give it back untouched; our copy closes once the message carries its own descriptor.
      const reply: WorkerReply = msg.tried ? { type: REFUSED, tried: msg.tried } : { type: REFUSED };
      deps.send(reply, handle, () => handle?.close());
      return;
    }
    deps.onTaken?.();
    const socket = deps.accept(handle);
    if (deps.reportCloses) socket.once('close', onClose);
  };
}

/**
 * Report requests in flight to the primary (strategies that read `requests`): a start at once,
 * before the handler runs (a long synchronous request would otherwise hold the news back until it
 * is done), except a connection's first (the primary counted it when it handed the connection
 * over); ends batched once per tick. `taken()` is the connections received so far.
 */
export function trackRequests(
  server: Server,
  taken: () => number,
  send: (m: WorkerReply) => void,
  defer: (f: () => void) => void = (f) => void setImmediate(f),
): void {
  let inflight = 0;
  let pending = false;
  const report = (): void => {
    pending = false;
    send({ type: LOAD, inflight, taken: taken() });
  };
  // The first request on a connection needs no report: the primary counted one when it handed the
  // connection over. A later one (keep-alive) makes the worker busy without the primary knowing.
  const seen = new WeakSet<object>();
  server.prependListener('request', (req, res) => {
    inflight++;
    if (seen.has(req.socket)) report();
    else seen.add(req.socket);
    res.once('close', () => {
      inflight--;
      if (!pending) {
        pending = true;
        defer(report);
      }
    });
  });
}

/** Start taking dispatched connections. `closing()` true makes the worker hand new ones back. */
export function acceptDispatched(server: Server, closing: () => boolean, reportCloses: boolean, reportRequests = false): void {
  let taken = 0;
  const send = (msg: WorkerReply): void => {
    if (process.connected) process.send?.(msg, undefined, undefined, () => {});
  };
  if (reportRequests) trackRequests(server, () => taken, send);
  const onMessage = createReceiver<RawHandle, Socket>({
    closing,
    reportCloses,
    onTaken: () => {
      taken++;
    },
    defer: (f) => void setImmediate(f),
    send: (msg, handle, cb) => {
      if (!process.connected || !process.send) return cb(new Error('IPC channel closed'));
      process.send(msg, handle as never, undefined, (err: Error | null) => cb(err ?? null));
    },
    accept: (handle) => {
      // What net.Server does on accept (and core's cluster worker for SCHED_RR): wrap, then 'connection'.
      const socket = new Socket({ handle, readable: true, writable: true } as never);
      socket.setNoDelay(true); // injected sockets skip the server's own connection setup
      server.emit('connection', socket);
      return socket;
    },
  });
  process.on('message', onMessage);
}
