// Burst load (the seed experiment): per round, C requests at once, each on a fresh connection;
// wait for all of them or the round deadline; R rounds. Every connection is a placement decision.
import { setMaxListeners } from 'node:events';
import { DEADLINE, freshRequest } from './request.js';
import { eitherSignal, type LoadClock, type LoadRound, type Sink, type Target } from './types.js';

/** Fire one round of `connections` simultaneous fresh-connection requests. */
export async function fireRound(
  target: Target,
  connections: number,
  round: number,
  deadlineMs: number,
  clock: LoadClock,
  sink: Sink,
  /** The run stopping (Ctrl-C): requests still open end at once, as INTERRUPTED. */
  stop?: AbortSignal,
): Promise<LoadRound> {
  const ac = new AbortController();
  const signal = eitherSignal(ac.signal, stop);
  setMaxListeners(connections + 1, signal); // one abort listener per request in flight
  const timer = setTimeout(() => ac.abort(DEADLINE), deadlineMs);
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => freshRequest(target, round, signal, clock, undefined, i).then(sink)));
    return { sent: connections };
  } finally {
    clearTimeout(timer);
  }
}
