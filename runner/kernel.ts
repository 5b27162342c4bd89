// Kernel accept-queue drops (Linux only): SYNs dropped because a listen queue was full.
// /proc/net/netstat is machine-wide, so other processes can add to the delta.
import { readFileSync } from 'node:fs';

export interface ListenCounters {
  listenOverflows: number;
  listenDrops: number;
}

/** Parse the TcpExt lines of /proc/net/netstat (a header line of names, then a line of values). */
export function parseNetstat(text: string): ListenCounters | null {
  const lines = text.split('\n').filter((l) => l.startsWith('TcpExt:'));
  if (lines.length < 2) return null;
  const names = lines[0].trim().split(/\s+/).slice(1);
  const values = lines[1].trim().split(/\s+/).slice(1).map(Number);
  const get = (k: string): number | undefined => {
    const i = names.indexOf(k);
    return i === -1 ? undefined : values[i];
  };
  const listenOverflows = get('ListenOverflows');
  const listenDrops = get('ListenDrops');
  return listenOverflows === undefined || listenDrops === undefined ? null : { listenOverflows, listenDrops };
}

/** Current counters, or null where they can't be read (not Linux, no /proc). */
export function readListenCounters(): ListenCounters | null {
  if (process.platform !== 'linux') return null;
  try {
    return parseNetstat(readFileSync('/proc/net/netstat', 'utf8'));
  } catch {
    return null;
  }
}

export function listenDelta(before: ListenCounters | null, after: ListenCounters | null): ListenCounters | undefined {
  if (!before || !after) return undefined;
  return { listenOverflows: after.listenOverflows - before.listenOverflows, listenDrops: after.listenDrops - before.listenDrops };
}
