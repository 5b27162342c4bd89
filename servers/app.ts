// The user's own service as the worker app (--app FILE): an ES module that exports a node:http
// request listener, a fastify plugin, or a factory returning either (docs/apps.md). The tool wraps
// it: the `x-worker-pid` header and the worker's counters go around it, the app knows nothing.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify, { type FastifyPluginAsync, type FastifyPluginCallback } from 'fastify';
import { type AppOptions, type Counters, countConnections, httpWorkerApp, PID_HEADER, timeResponse, type WorkerApp } from './types.js';

type Plugin = FastifyPluginAsync | FastifyPluginCallback;

/** A loaded app: a node:http listener, or a fastify plugin. */
export type UserApp = { kind: 'http'; listener: RequestListener } | { kind: 'fastify'; plugin: Plugin };

/** The shapes a module may export, in words, for error messages and docs. */
export const APP_SHAPES =
  '`export default (req, res) => ...` (a node:http listener), `export const plugin = async (fastify) => ...` (a fastify plugin), or `export async function create()` returning either';

const describe = (v: unknown): string =>
  v === undefined ? 'nothing' : v === null ? 'null' : typeof v === 'function' ? 'a function' : typeof v;

/** What a factory returned, or a module exported, as an app; a one-line reason when it is none. */
function shapeOf(v: unknown, what: string): UserApp {
  if (typeof v === 'function') return { kind: 'http', listener: v as RequestListener };
  if (v !== null && typeof v === 'object' && typeof (v as { plugin?: unknown }).plugin === 'function')
    return { kind: 'fastify', plugin: (v as { plugin: Plugin }).plugin };
  throw new Error(`${what} is ${describe(v)}, not a request listener or { plugin }`);
}

/** Import `file` and find its app. Throws one line naming what is wrong. */
export async function importApp(file: string): Promise<UserApp> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`cannot load it as an ES module: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
  }
  if (typeof mod.create === 'function') {
    let made: unknown;
    try {
      made = await (mod.create as () => unknown)();
    } catch (err) {
      throw new Error(`its create() threw: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
    }
    return shapeOf(made, 'what create() returned');
  }
  if (typeof mod.plugin === 'function') return { kind: 'fastify', plugin: mod.plugin as Plugin };
  if (mod.default !== undefined) return shapeOf(mod.default, 'its default export');
  throw new Error(`it exports none of: ${APP_SHAPES}`);
}

/** SHA-256 of a file's bytes, hex: what the result records of the app. */
export const sha256Of = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

/** The user's app as a worker app: counted and tagged around it, as the built-in apps are. */
export function buildUserApp(app: UserApp, opts: AppOptions): WorkerApp {
  const counters: Counters = { requests: 0, connections: 0 };
  const pid = String(opts.pid ?? process.pid);
  let on = opts.instrument;
  if (app.kind === 'http') {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      if (on) {
        counters.requests++;
        if (opts.latency) timeResponse(res, counters);
        res.setHeader(PID_HEADER, pid);
      }
      try {
        app.listener(req, res);
      } catch (err) {
        // A listener that throws: the request fails as it would in production, the worker lives on.
        if (!res.headersSent) res.statusCode = 500;
        res.end();
        process.emitWarning(`--app: the request listener threw: ${(err as Error)?.message ?? err}`);
      }
    });
    if (opts.instrument) countConnections(server, counters, () => on);
    return httpWorkerApp(server, counters, (value) => {
      on = opts.instrument && value;
    });
  }
  const f = Fastify({ logger: false });
  if (opts.instrument)
    f.addHook('onRequest', (_req, reply, done) => {
      if (on) {
        counters.requests++;
        if (opts.latency) timeResponse(reply.raw, counters);
        reply.header(PID_HEADER, pid);
      }
      done();
    });
  f.register(app.plugin);
  if (opts.instrument) countConnections(f.server, counters, () => on);
  return {
    server: f.server,
    counters,
    ready: async () => void (await f.ready()),
    close: async () => void (await f.close()),
    setInstrumented: (value) => {
      on = opts.instrument && value;
    },
  };
}
