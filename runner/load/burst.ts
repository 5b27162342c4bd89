// Burst load (the seed experiment): per round, C requests at once, each on a fresh connection;
// wait for all of them or the round deadline; R rounds. Every connection is a placement decision.
import { DEADLINE, freshRequest } from './request.js';
import { type LoadClock, type LoadRound, loadSignal, type Sink, type Target } from './types.js';

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
  const { signal, expire } = loadSignal(stop, connections + 1);
  const timer = setTimeout(() => expire(DEADLINE), deadlineMs);
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => freshRequest(target, round, signal, clock, undefined, i).then(sink)));
    return { sent: connections };
  } finally {
    clearTimeout(timer);
  }
}
