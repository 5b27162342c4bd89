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
  /** Each connection taken, as its socket (the in-flight reports of `trackRequests` count it). */
  onTaken?: (socket: S) => void;
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
    const socket = deps.accept(handle);
    deps.onTaken?.(socket);
    if (deps.reportCloses) socket.once('close', onClose);
  };
}

/** What `trackRequests` needs of the HTTP server, a socket and a response: the real ones, or fakes in tests. */
interface Emitter {
  once(ev: 'close', f: () => void): unknown;
}
export interface RequestSource {
  prependListener(ev: 'request', f: (req: { socket: object }, res: Emitter) => void): unknown;
}

/** Counts requests in flight at a worker for the primary (strategies that read `requests`). */
export interface RequestTracker {
  /** A connection the worker just took: busy from now until its first request ends, or it closes without one. */
  taken(socket: Emitter): void;
}

/**
 * Report requests in flight to the primary: a connection counts as one from the moment it is taken
 * (the primary counted it when it handed it over, and its first request is on its way), so a report
 * sent before that request is parsed cannot call the worker idle. A later request on the same
 * connection (keep-alive) is reported at once, before the handler runs (a long synchronous request
 * would otherwise hold the news back until it is done); ends are batched once per tick.
 */
export function trackRequests(
  server: RequestSource,
  send: (m: WorkerReply) => void,
  defer: (f: () => void) => void = (f) => void setImmediate(f),
): RequestTracker {
  let inflight = 0;
  let taken = 0;
  let pending = false;
  const report = (): void => {
    pending = false;
    send({ type: LOAD, inflight, taken });
  };
  const ended = (): void => {
    inflight--;
    if (!pending) {
      pending = true;
      defer(report);
    }
  };
  /** Connections taken whose first request has not started: each already counts as one in flight. */
  const awaiting = new WeakSet<object>();
  server.prependListener('request', (req, res) => {
    if (!awaiting.delete(req.socket)) {
      inflight++;
      report();
    }
    res.once('close', ended);
  });
  return {
    taken: (socket) => {
      taken++;
      inflight++;
      awaiting.add(socket);
      socket.once('close', () => {
        if (awaiting.delete(socket)) ended(); // closed without a request
      });
    },
  };
}

/** Start taking dispatched connections. `closing()` true makes the worker hand new ones back. */
export function acceptDispatched(server: Server, closing: () => boolean, reportCloses: boolean, reportRequests = false): void {
  const send = (msg: WorkerReply): void => {
    if (process.connected) process.send?.(msg, undefined, undefined, () => {});
  };
  const tracker = reportRequests ? trackRequests(server, send) : undefined;
  const onMessage = createReceiver<RawHandle, Socket>({
    closing,
    reportCloses,
    ...(tracker && { onTaken: (socket: Socket) => tracker.taken(socket) }),
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
