// The plain node:http app: the lightest server, so cluster dispatch dominates what is measured.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  type AppOptions,
  BODY,
  type Counters,
  countConnections,
  httpWorkerApp,
  PID_HEADER,
  timeResponse,
  type WorkerApp,
} from './types.js';
import { doWork } from './work.js';

export function buildHttp(opts: AppOptions): WorkerApp {
  const counters: Counters = { requests: 0, connections: 0 };
  // One header object for every response: writeHead(status, obj) with nothing set before is
  // Node's fast path; res.setHeader() per request validated and merged headers (~5% more CPU).
  const plain = { 'content-type': 'text/plain', 'content-length': BODY.length };
  const tagged = { ...plain, [PID_HEADER]: String(opts.pid ?? process.pid) };
  let on = opts.instrument;
  const reply = (res: ServerResponse): void => {
    res.writeHead(200, on ? tagged : plain);
    res.end(BODY);
  };
  const handler = (_req: IncomingMessage, res: ServerResponse): void => {
    if (on) counters.requests++;
    if (on && opts.latency) timeResponse(res, counters);
    const pending = doWork(opts.work, opts.draw);
    if (pending)
      pending.then(
        () => reply(res),
        (err: Error) => res.destroy(err),
      );
    else reply(res);
  };
  const server = createServer(handler);
  if (opts.instrument) countConnections(server, counters, () => on);
  return httpWorkerApp(server, counters, (value) => {
    on = opts.instrument && value;
  });
}
