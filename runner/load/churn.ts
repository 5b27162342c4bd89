// Churn: a closed loop of C concurrent clients, each sending one request per fresh connection, for
// D seconds. Every request is a placement decision, so dispatch cost shows up here. At the end no
// new request starts; those in flight finish (or hit the drain deadline and count as errors).
import { setMaxListeners } from 'node:events';
import { freshRequest } from './request.js';
import type { LoadClock, LoadRound, Sink, Target } from './types.js';

export async function runChurn(
  target: Target,
  concurrency: number,
  durationS: number,
  drainMs: number,
  clock: LoadClock,
  sink: Sink,
): Promise<LoadRound> {
  const ac = new AbortController();
  setMaxListeners(0, ac.signal); // a listener per request in flight; finished ones detach on close, a little later
  const end = performance.now() + durationS * 1000;
  let sent = 0;
  let drain: NodeJS.Timeout | undefined;
  const loop = async (): Promise<void> => {
    while (performance.now() < end) {
      sent++;
      sink(await freshRequest(target, 1, ac.signal, clock));
    }
  };
  const stopTimer = setTimeout(() => (drain = setTimeout(() => ac.abort(), drainMs)), durationS * 1000);
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    clearTimeout(stopTimer);
    clearTimeout(drain);
  }
  return { sent };
}
