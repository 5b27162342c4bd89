// The fastify app (default): a typical production framework in front of the same endpoint.
import Fastify, { type FastifyInstance } from 'fastify';
import { type AppOptions, BODY, type Counters, countConnections, PID_HEADER, timeResponse, type WorkerApp } from './types.js';
import { doWork } from './work.js';

/**
 * The fastify instance itself, for `inject()` tests; `counters` are updated per request while
 * `on()` is true (default: always, when built with `instrument`).
 */
export function buildFastifyApp(opts: AppOptions, counters: Counters, on: () => boolean = () => true): FastifyInstance {
  const pid = String(opts.pid ?? process.pid);
  const app = Fastify({ logger: false });
  if (opts.instrument) {
    // onRequest also sees 404s: every request the worker receives is counted.
    app.addHook('onRequest', (_req, reply, done) => {
      if (!on()) return done();
      counters.requests++;
      if (opts.latency) timeResponse(reply.raw, counters);
      reply.header(PID_HEADER, pid);
      done();
    });
  }
  app.get('/', (_req, reply) => {
    const pending = doWork(opts.work, opts.draw);
    reply.type('text/plain');
    return pending ? pending.then(() => BODY) : reply.send(BODY);
  });
  return app;
}

export function buildFastify(opts: AppOptions): WorkerApp {
  const counters: Counters = { requests: 0, connections: 0 };
  let instrumented = opts.instrument;
  const on = (): boolean => instrumented;
  const app = buildFastifyApp(opts, counters, on);
  if (opts.instrument) countConnections(app.server, counters, on);
  return {
    server: app.server,
    counters,
    ready: async () => void (await app.ready()),
    close: async () => void (await app.close()),
    // The onRequest hook stays registered when turned off: off measures what it does, not that it runs.
    setInstrumented: (value) => {
      instrumented = opts.instrument && value;
    },
  };
}
