import type { ConnInfo, DispatchStrategy, Picker, WorkerLoad } from './types.js';

/** FNV-1a, 32 bits: a fast, well-spread hash of a short string (an IP address). */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Sticky by client address, as socket.io's sticky-session module does: the same address always
 * lands on the same worker (the hash of the address, modulo the workers that can take it), so a
 * client's in-memory session stays put; the price is that few, busy clients make an uneven split.
 * Without an address (a connection handed back by a worker going away), a random worker.
 */
export function createSticky(): Picker {
  return {
    pick(workers: readonly WorkerLoad[], rng: () => number, conn?: ConnInfo): number {
      if (!conn) return Math.floor(rng() * workers.length);
      return fnv1a(conn.remoteAddress) % workers.length;
    },
  };
}

export const sticky: DispatchStrategy = {
  name: 'sticky',
  kind: 'dispatch',
  description: 'userland: connections from one client address always go to one worker (hash of the address), as socket.io sticky sessions',
  supported: () => null,
  createPicker: createSticky,
  needsCloses: false,
  needsAddress: true,
};
