// Open loop: requests arrive at a fixed rate whatever the server does, each on a fresh connection.
// Latency is measured from the *scheduled* send time, so a stalled server cannot hide its queue
// (coordinated omission): if the generator falls behind, late sends still count from their slot.
import type { RequestRecord } from '../../format/requests.js';
import { DEADLINE, freshRequest } from './request.js';
import { type LoadContext, type LoadDef, type LoadRound, loadSignal, splitEven } from './types.js';

/** Requests in an open-loop run of `durationS` seconds at `rate` per second. */
export const plannedRequests = (rate: number, durationS: number): number => Math.max(1, Math.floor(rate * durationS));

/** Scheduled send time of request i (0-based), ms after the start. */
export const scheduledAt = (i: number, rate: number): number => (i * 1000) / rate;

/**
 * How many requests are due (scheduled at or before `elapsedMs`), capped at `total`. The estimate
 * is corrected against `scheduledAt` itself: floor(elapsed * rate) alone can miss a slot by a
 * rounding error (rate 7: slot 15 is at 15000/7 ms, but 15000/7 * 7 / 1000 = 14.999...).
 */
export function dueBy(elapsedMs: number, rate: number, total: number): number {
  if (elapsedMs < 0) return 0;
  let k = Math.min(total, Math.floor((elapsedMs * rate) / 1000) + 1);
  while (k < total && scheduledAt(k, rate) <= elapsedMs) k++;
  while (k > 0 && scheduledAt(k - 1, rate) > elapsedMs) k--;
  return k;
}

export async function runOpen({
  target,
  settings,
  deadlineMs: drainMs,
  clock,
  sink,
  stop,
  phaseMs = 0,
}: LoadContext<'open'>): Promise<LoadRound> {
  const { rate, duration: durationS } = settings;
  const total = plannedRequests(rate, durationS);
  const { signal, expire } = loadSignal(stop, 0); // in flight is unbounded by design: rate x latency
  const start = performance.now() + phaseMs; // slot 0 of this schedule
  // Only a count of requests in flight is kept, not the requests: memory stays flat at any rate x duration.
  let started = 0;
  let inFlight = 0;
  let allDone: () => void = () => {};
  const done = new Promise<void>((resolve) => (allDone = resolve));
  let scheduling = true;
  const finish = (rec: RequestRecord): void => {
    sink(rec);
    if (--inFlight === 0 && !scheduling) allDone();
  };
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const end = (): void => {
      clearTimeout(timer);
      scheduling = false;
      resolve();
    };
    signal.addEventListener('abort', end, { once: true });
    const tick = (): void => {
      const due = dueBy(performance.now() - start, rate, total);
      for (; started < due; started++) {
        inFlight++;
        void freshRequest(target, 1, signal, clock, start + scheduledAt(started, rate), started).then(finish);
      }
      if (started >= total) {
        signal.removeEventListener('abort', end);
        end();
        return;
      }
      timer = setTimeout(tick, Math.max(0, scheduledAt(started, rate) - (performance.now() - start)));
    };
    tick();
  });
  const drain = setTimeout(() => expire(DEADLINE), drainMs);
  try {
    if (inFlight > 0) await done;
    return { sent: started };
  } finally {
    clearTimeout(drain);
  }
}

export const open: LoadDef<'open'> = {
  description: 'open loop at --rate requests/s on fresh connections for D seconds (latency from the scheduled time)',
  defaults: { connections: 100, rounds: 1, duration: 10, rate: 400 },
  flags: ['duration', 'rate', 'client-addrs'],
  maxMs: (s, drainMs) => s.duration * 1000 + drainMs,
  faultAtMs: (s) => (s.duration * 1000) / 2,
  connectionsAtOnce: () => null, // rate x latency: the settings do not bound it
  // Split by rate, each process pacing its own share; process i starts i slots of the whole
  // schedule later, so their requests interleave instead of K arriving at the same instant.
  share: (s, i, k) => {
    const rate = splitEven(s.rate, k)[i];
    return rate === 0 ? null : { settings: { ...s, rate }, phaseMs: scheduledAt(i, s.rate) };
  },
  fire: runOpen,
};
