// Sustained: autocannon keep-alive load, C connections for D seconds. Cluster places connections,
// not requests, so this measures throughput and latency more than placement (C decisions).
//
// autocannon's own `duration` end destroys clients with a request in flight, which would leave
// requests the server counted but the client never saw. We stop gracefully instead: at D seconds
// every client gets `responseMax = reqsMade` (the field `maxConnectionRequests` drives), so it
// finishes its in-flight request and closes; autocannon ends when the last client is done.
import autocannon from 'autocannon';
import { PID_HEADER } from '../../servers/types.js';
import { classify, DEADLINE } from './request.js';
import { connectionShare, INTERRUPTED, type LoadContext, type LoadDef, type LoadRound, type Sink } from './types.js';

/** The parts of autocannon's client we use (its typings miss the events' real arguments). */
interface AcClient {
  reqsMade: number;
  responseMax: number;
  on(event: 'headers', fn: (info: { statusCode: number; headers: string[] }) => void): void;
  on(event: 'response', fn: (status: number, bytes: number, durationMs: number) => void): void;
  on(event: 'request', fn: () => void): void;
  on(event: 'connError', fn: (err: NodeJS.ErrnoException) => void): void;
  on(event: 'timeout', fn: () => void): void;
}

/** Safety cap on autocannon's own duration: our graceful stop comes first. */
const HARD_STOP_EXTRA_S = 30;
const REQUEST_TIMEOUT_S = 10;

function pidFromRaw(headers: string[]): string | undefined {
  for (let i = 0; i < headers.length; i += 2) if (headers[i].toLowerCase() === PID_HEADER) return headers[i + 1];
  return undefined;
}

/**
 * `drainMs` (--round-timeout): after D seconds no client starts a request; those still in flight
 * get this long to finish, then count as ROUND_DEADLINE errors and autocannon is stopped.
 */
export function runSustained({ target, settings, deadlineMs: drainMs, clock, sink, stop }: LoadContext<'sustained'>): Promise<LoadRound> {
  const { connections, duration: durationS } = settings;
  const clients: AcClient[] = [];
  let sent = 0;
  let done = 0;
  let closed = false; // past the drain deadline: late events are not records any more
  const emit = (rec: Parameters<Sink>[0]): void => {
    if (closed) return;
    done++;
    sink(rec);
  };
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  const timeoutS = Math.max(REQUEST_TIMEOUT_S, Math.ceil(drainMs / 1000));
  return new Promise((resolve, reject) => {
    const inst = autocannon(
      {
        url: `http://${host}:${target.port}${target.path ?? '/'}`,
        connections,
        pipelining: 1,
        duration: durationS + HARD_STOP_EXTRA_S,
        timeout: timeoutS,
        sampleInt: 100, // ends within 100 ms of the last client finishing (default: 1 s tick)
        setupClient: (c) => {
          const client = c as unknown as AcClient;
          clients.push(client);
          let pending = { status: 0, pid: undefined as string | undefined };
          // autocannon does not say when a failed request started: a timeout took its whole timeout, a connection error is at 0.
          const fail = (code: string, waitedUs = 0): void => {
            const now = performance.now();
            emit({ round: 1, pid: 0, status: 0, latencyUs: waitedUs, error: code, atMs: Math.round(now - clock.origin) });
          };
          client.on('request', () => {
            if (!closed) sent++;
          });
          client.on('headers', (info) => (pending = { status: info.statusCode, pid: pidFromRaw(info.headers) }));
          client.on('response', (status, _bytes, durationMs) => {
            const { pid, error } = classify(status, pending.pid);
            emit({
              round: 1,
              pid,
              status,
              latencyUs: Math.round(durationMs * 1000),
              error,
              atMs: Math.round(performance.now() - clock.origin),
            });
          });
          client.on('connError', (err) => fail(err.code ?? 'CONN_ERROR'));
          client.on('timeout', () => fail('TIMEOUT', timeoutS * 1_000_000));
        },
      },
      (err) => (err ? reject(err) : resolve({ sent })),
    );
    let drain: NodeJS.Timeout | undefined;
    /** Requests still open count as `code`, then autocannon stops (it destroys those sockets). */
    const cutOff = (code: string, waitedMs: number): void => {
      if (closed) return;
      const atMs = Math.round(performance.now() - clock.origin);
      for (let k = sent - done; k > 0; k--)
        emit({ round: 1, pid: 0, status: 0, latencyUs: Math.round(waitedMs * 1000), error: code, atMs });
      closed = true;
      inst.stop();
    };
    const ending = setTimeout(() => {
      for (const c of clients) c.responseMax = Math.max(1, c.reqsMade);
      const drainStart = performance.now();
      drain = setTimeout(() => cutOff(DEADLINE, performance.now() - drainStart), drainMs);
    }, durationS * 1000);
    const onStop = (): void => cutOff(INTERRUPTED, 0);
    stop?.addEventListener('abort', onStop, { once: true });
    inst.on('done', () => {
      clearTimeout(ending);
      clearTimeout(drain);
      stop?.removeEventListener('abort', onStop);
    });
  });
}

export const sustained: LoadDef<'sustained'> = {
  description: 'autocannon keep-alive, C connections for D seconds',
  defaults: { connections: 100, rounds: 1, duration: 10 },
  flags: ['connections', 'duration'], // autocannon cannot bind a source address: no --client-addrs
  maxMs: (s, drainMs) => s.duration * 1000 + drainMs,
  faultAtMs: (s) => (s.duration * 1000) / 2,
  connectionsAtOnce: (s) => s.connections,
  share: connectionShare,
  fire: runSustained,
};
