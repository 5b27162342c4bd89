// One HTTP request on a fresh TCP connection (agent: false), timed and attributed to a worker pid.
import { get } from 'node:http';
import type { RequestRecord } from '../../format/requests.js';
import { PID_HEADER } from '../../servers/types.js';
import { abortCode, type LoadClock, sourceOf, type Target } from './types.js';

export const DEADLINE = 'ROUND_DEADLINE';

/** Classify a finished response: ok needs a 2xx status and a pid header. */
export function classify(status: number, pidHeader: string | string[] | undefined): { pid: number; error: string | null } {
  const pid = typeof pidHeader === 'string' && /^\d+$/.test(pidHeader) ? Number(pidHeader) : 0;
  if (status < 200 || status > 299) return { pid, error: `HTTP_${status}` };
  return { pid, error: pid === 0 ? 'NO_PID' : null };
}

/**
 * Never rejects: every outcome is a record. `signal` aborts it (the round's deadline, or the run
 * stopping: the abort reason is the record's error code). Latency
 * runs from `startAt` when given (the open loop passes the scheduled send time), else from the
 * request's 'socket' event: when its connection attempt starts. A burst builds all its requests
 * in one synchronous loop before any connects; timing from construction would charge the first
 * requests with building the rest.
 */
export function freshRequest(
  target: Target,
  round: number,
  signal: AbortSignal,
  clock: LoadClock,
  startAt?: number,
  /** The connection's number in its load: picks its source address with --client-addrs. */
  seq = 0,
): Promise<RequestRecord> {
  return new Promise((resolve) => {
    let done = false;
    let t0 = startAt ?? performance.now();
    const settle = (r: Omit<RequestRecord, 'round' | 'latencyUs' | 'atMs'>): void => {
      if (done) return;
      done = true;
      const now = performance.now();
      resolve({
        round,
        latencyUs: Math.round((now - t0) * 1000),
        atMs: Math.round(now - clock.origin),
        ...r,
        ...(source && { src: source.src }),
      });
    };
    const fail = (err: NodeJS.ErrnoException, status = 0, pid = 0): void =>
      settle({ pid, status, error: signal.aborted ? abortCode(signal, DEADLINE) : (err.code ?? err.name ?? 'ERROR') });
    const source = sourceOf(target, seq);
    const req = get(
      {
        host: target.host,
        port: target.port,
        path: target.path ?? '/',
        agent: false,
        signal,
        ...(source && { localAddress: source.localAddress }),
      },
      (res) => {
        const status = res.statusCode ?? 0;
        const { pid, error } = classify(status, res.headers[PID_HEADER]);
        res.on('error', (err) => fail(err, status, pid));
        res.on('end', () => settle({ pid, status, error }));
        res.resume();
      },
    );
    req.on('error', (err) => fail(err));
    if (startAt === undefined) req.once('socket', () => (t0 = performance.now()));
  });
}
