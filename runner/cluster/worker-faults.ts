// A worker's side of --fault: hang and slow wrap the app's request handling (installed only when
// the fault arrives, so a normal run pays nothing); kill and exit end the worker, after sending
// its last counts so they outlive it. The primary picks the worker; see protocol.ts `Fault`.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkerApp } from '../../servers/types.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface FaultableApp {
  /** From now on: take and count every request, answer none (held until released). */
  hang(): void;
  /** From now on: answer every request `ms` later. */
  slow(ms: number): void;
  /** Requests held by a hang, not answered. */
  readonly held: number;
  /** Drop the held requests (their sockets are destroyed): before the worker closes. */
  release(): void;
}

/** Wrap `app`'s request handling (once, at the first fault) so a fault can hang or slow it. */
export function faultable(app: WorkerApp, counting: () => boolean): FaultableApp {
  let installed = false;
  let hung = false;
  let delayMs = 0;
  const held = new Set<ServerResponse>();
  const install = (): void => {
    if (installed) return;
    installed = true;
    const server = app.server;
    const handlers = server.listeners('request') as Handler[];
    server.removeAllListeners('request');
    const forward: Handler = (req, res) => {
      for (const h of handlers) h.call(server, req, res);
    };
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      if (hung) {
        // Taken, so counted as the app would; never answered: the client times out.
        if (counting()) app.counters.requests++;
        held.add(res);
        res.once('close', () => held.delete(res));
        return;
      }
      if (delayMs > 0) setTimeout(() => forward(req, res), delayMs);
      else forward(req, res);
    });
  };
  return {
    hang: () => {
      install();
      hung = true;
    },
    slow: (ms) => {
      install();
      delayMs = ms;
    },
    get held() {
      return held.size;
    },
    release: () => {
      for (const res of held) res.destroy();
      held.clear();
    },
  };
}
