// The plain node:http app: the lightest server, so cluster dispatch dominates what is measured.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { doWork } from './work.js';
import { BODY, countConnections, PID_HEADER, type AppOptions, type Counters, type WorkerApp } from './types.js';

export function buildHttp(opts: AppOptions): WorkerApp {
  const counters: Counters = { requests: 0, connections: 0 };
  // One header object for every response: writeHead(status, obj) with nothing set before is
  // Node's fast path; res.setHeader() per request validated and merged headers (~5% more CPU).
  const headers: Record<string, string | number> = { 'content-type': 'text/plain', 'content-length': BODY.length };
  if (opts.instrument) headers[PID_HEADER] = String(opts.pid ?? process.pid);
  const reply = (res: ServerResponse): void => {
    res.writeHead(200, headers);
    res.end(BODY);
  };
  const handler = (_req: IncomingMessage, res: ServerResponse): void => {
    if (opts.instrument) counters.requests++;
    const pending = doWork(opts.work, opts.draw);
    if (pending) pending.then(() => reply(res), (err: Error) => res.destroy(err));
    else reply(res);
  };
  const server = createServer(handler);
  if (opts.instrument) countConnections(server, counters);
  return {
    server,
    counters,
    ready: async () => {},
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
