import type { Server } from 'node:http';
import type { WorkProfile } from './work.js';

/** What a worker counted itself, cumulative since start. */
export interface Counters {
  requests: number;
  connections: number;
}

export interface AppOptions {
  /** Set `x-worker-pid` and count requests/connections (default true; off only to measure the harness). */
  instrument: boolean;
  work: WorkProfile;
  /** Random source for mixed work (seeded per worker by the caller). */
  draw: () => number;
  /** The pid written to `x-worker-pid` (default process.pid). */
  pid?: number;
}

/** A worker app: its HTTP server (listen on it, or emit 'connection' into it) and its counters. */
export interface WorkerApp {
  readonly server: Server;
  readonly counters: Counters;
  ready(): Promise<void>;
  close(): Promise<void>;
  /** Turn the pid header and counters on or off at run time (perf:overhead's paired windows).
   *  An app built with `instrument: false` has no instrumentation to turn on. */
  setInstrumented(on: boolean): void;
}

export type AppBuilder = (opts: AppOptions) => WorkerApp;

export const PID_HEADER = 'x-worker-pid';
export const BODY = 'hello\n';

/** Count every connection the server takes (accepted by it, or emitted into it by the dispatcher). */
export function countConnections(server: Server, counters: Counters, on: () => boolean): void {
  server.on('connection', () => {
    if (on()) counters.connections++;
  });
}
