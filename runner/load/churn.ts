// Churn: a closed loop of C concurrent clients, each sending one request per fresh connection, for
// D seconds. Every request is a placement decision, so dispatch cost shows up here. At the end no
// new request starts; those in flight finish (or hit the drain deadline and count as errors).
import { DEADLINE, freshRequest } from './request.js';
import { connectionShare, type LoadContext, type LoadDef, type LoadRound, loadSignal } from './types.js';

export async function runChurn({ target, settings, deadlineMs: drainMs, clock, sink, stop }: LoadContext<'churn'>): Promise<LoadRound> {
  const { connections: concurrency, duration: durationS } = settings;
  // A listener per request in flight; finished ones detach on close, a little later: unbounded.
  const { signal, expire } = loadSignal(stop, 0);
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
  const stopTimer = setTimeout(() => (drain = setTimeout(() => expire(DEADLINE), drainMs)), durationS * 1000);
  try {
    await Promise.all(Array.from({ length: concurrency }, loop));
  } finally {
    clearTimeout(stopTimer);
    clearTimeout(drain);
  }
  return { sent };
}

export const churn: LoadDef<'churn'> = {
  description: 'closed loop, C concurrent clients, a fresh connection per request, for D seconds',
  defaults: { connections: 100, rounds: 1, duration: 10 },
  flags: ['connections', 'duration', 'client-addrs'],
  maxMs: (s, drainMs) => s.duration * 1000 + drainMs,
  faultAtMs: (s) => (s.duration * 1000) / 2,
  connectionsAtOnce: (s) => s.connections,
  share: connectionShare,
  fire: runChurn,
};
