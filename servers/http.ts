// The plain node:http app: the lightest server, so cluster dispatch dominates what is measured.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { doWork } from './work.js';
import { BODY, countConnections, PID_HEADER, type AppOptions, type Counters, type WorkerApp } from './types.js';

export function buildHttp(opts: AppOptions): WorkerApp {
  const pid = String(opts.pid ?? process.pid);
  const counters: Counters = { requests: 0, connections: 0 };
  const reply = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': BODY.length });
    res.end(BODY);
  };
  const handler = (_req: IncomingMessage, res: ServerResponse): void => {
    if (opts.instrument) {
      counters.requests++;
      res.setHeader(PID_HEADER, pid);
    }
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
