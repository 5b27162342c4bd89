// Burst load (the seed experiment): per round, C requests at once, each on a fresh connection;
// wait for all of them or the round deadline; R rounds. Every connection is a placement decision.
import { setMaxListeners } from 'node:events';
import { freshRequest } from './request.js';
import type { LoadClock, LoadRound, Sink, Target } from './types.js';

/** Fire one round of `connections` simultaneous fresh-connection requests. */
export async function fireRound(
  target: Target,
  connections: number,
  round: number,
  deadlineMs: number,
  clock: LoadClock,
  sink: Sink,
): Promise<LoadRound> {
  const ac = new AbortController();
  setMaxListeners(connections + 1, ac.signal); // one abort listener per request in flight
  const timer = setTimeout(() => ac.abort(), deadlineMs);
  try {
    await Promise.all(Array.from({ length: connections }, () => freshRequest(target, round, ac.signal, clock).then(sink)));
    return { sent: connections };
  } finally {
    clearTimeout(timer);
  }
}
