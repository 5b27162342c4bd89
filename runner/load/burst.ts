// Burst load (the seed experiment): per round, C requests at once, each on a fresh connection;
// wait for all of them or the round deadline; R rounds. Every connection is a placement decision.
import { DEADLINE, freshRequest } from './request.js';
import { connectionShare, type LoadContext, type LoadDef, type LoadRound, loadSignal } from './types.js';

/** Fire one round of `connections` simultaneous fresh-connection requests. */
export async function fireRound({ target, settings, deadlineMs, round, clock, sink, stop }: LoadContext<'burst'>): Promise<LoadRound> {
  const { connections } = settings;
  const { signal, expire } = loadSignal(stop, connections + 1);
  const timer = setTimeout(() => expire(DEADLINE), deadlineMs);
  try {
    await Promise.all(Array.from({ length: connections }, (_, i) => freshRequest(target, round, signal, clock, undefined, i).then(sink)));
    return { sent: connections };
  } finally {
    clearTimeout(timer);
  }
}

export const burst: LoadDef<'burst'> = {
  description: 'R rounds of C simultaneous requests, each on a fresh connection',
  defaults: { connections: 1000, rounds: 20 },
  flags: ['connections', 'rounds', 'client-addrs'],
  // Each round may take its deadline, and its counter read and settling up to 2 s more.
  maxMs: (s, deadlineMs) => s.rounds * (deadlineMs + 2000),
  faultAtMs: () => 0, // as the round's connections go out
  connectionsAtOnce: (s) => s.connections,
  share: connectionShare,
  fire: fireRound,
};
