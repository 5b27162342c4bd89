// Work profiles for the app under test: what each request costs the worker.
import { setTimeout as sleep } from 'node:timers/promises';
import { msg, UsageError } from '../format/errors.js';

export type WorkProfile =
  | { kind: 'hello' }
  | { kind: 'cpu'; ms: number }
  | { kind: 'io'; ms: number }
  | { kind: 'mixed'; percent: number; ms: number }
  /** CPU for an exponentially distributed time of mean MS per request (M/M/k checks; npm run simulate's --service exp). */
  | { kind: 'exp'; ms: number };

export const WORK_FORMS = 'hello, cpu:MS, io:MS, mixed:P:MS, exp:MS';

/** Parse `--work`: a UsageError naming the bad value and the valid forms. */
export function parseWork(text: string): WorkProfile {
  const bad = (why: string): never => {
    throw new UsageError(msg.work(text, why, WORK_FORMS));
  };
  const parts = text.split(':');
  const num = (s: string | undefined, what: string, max: number): number => {
    if (s === undefined || !/^\d+(\.\d+)?$/.test(s)) return bad(`${what} must be a positive number`);
    const n = Number(s);
    if (n <= 0 || n > max) return bad(`${what} must be > 0 and <= ${max}`);
    return n;
  };
  switch (parts[0]) {
    case 'hello':
      return parts.length === 1 ? { kind: 'hello' } : bad('hello takes no argument');
    case 'cpu':
    case 'io':
    case 'exp':
      if (parts.length !== 2) bad(`${parts[0]} takes one argument, MS`);
      return { kind: parts[0], ms: num(parts[1], 'MS', 60_000) };
    case 'mixed':
      if (parts.length !== 3) bad('mixed takes two arguments, P and MS');
      return { kind: 'mixed', percent: num(parts[1], 'P', 100), ms: num(parts[2], 'MS', 60_000) };
    default:
      return bad(`unknown profile '${parts[0]}'`);
  }
}

/** The --work text of `w`, as the result records it. */
export const formatWork = (w: WorkProfile): string =>
  w.kind === 'hello' ? 'hello' : w.kind === 'mixed' ? `mixed:${w.percent}:${w.ms}` : `${w.kind}:${w.ms}`;

function burn(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/**
 * The work for one request: undefined when it is done synchronously (hello, cpu), a promise for io.
 * `draw` is a [0,1) generator: mixed burns CPU on `percent`% of requests.
 */
export function doWork(w: WorkProfile, draw: () => number): Promise<void> | undefined {
  switch (w.kind) {
    case 'hello':
      return undefined;
    case 'cpu':
      burn(w.ms);
      return undefined;
    case 'io':
      return sleep(w.ms).then(() => undefined);
    case 'mixed':
      if (draw() * 100 < w.percent) burn(w.ms);
      return undefined;
    case 'exp':
      burn(-Math.log(1 - draw()) * w.ms);
      return undefined;
  }
}
