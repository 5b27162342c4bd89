// Churn: a closed loop of C concurrent clients, each sending one request per fresh connection, for
// D seconds. Every request is a placement decision, so dispatch cost shows up here. At the end no
// new request starts; those in flight finish (or hit the drain deadline and count as errors).
import { setMaxListeners } from 'node:events';
import { DEADLINE, freshRequest } from './request.js';
import { eitherSignal, type LoadClock, type LoadRound, type Sink, type Target } from './types.js';

export async function runChurn(
  target: Target,
  concurrency: number,
  durationS: number,
  drainMs: number,
  clock: LoadClock,
  sink: Sink,
  /** The run stopping (Ctrl-C): no new request, those open end at once as INTERRUPTED. */
  stop?: AbortSignal,
): Promise<LoadRound> {
  const ac = new AbortController();
  const signal = eitherSignal(ac.signal, stop);
  setMaxListeners(0, signal); // a listener per request in flight; finished ones detach on close, a little later
  const end = performance.now() + durationS * 1000;
  let sent = 0;
  let drain: NodeJS.Timeout | undefined;
  // Client k keeps its source address (--client-addrs): k mod N.
  const loop = async (_: unknown, k: number): Promise<void> => {
    while (performance.now() < end && !signal.aborted) {
      sent++;
      sink(await freshRequest(target, 1, signal, clock, undefined, k));
    }
  };
  const stopTimer = setTimeout(() => (drain = setTimeout(() => ac.abort(DEADLINE), drainMs)), durationS * 1000);
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    clearTimeout(stopTimer);
    clearTimeout(drain);
  }
  return { sent };
}
