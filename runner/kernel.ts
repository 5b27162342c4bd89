// Kernel accept-queue drops: connections dropped because a listen queue was full. Machine-wide on
// every platform, so other processes can add to the delta.
//   Linux: /proc/net/netstat, TcpExt ListenOverflows and ListenDrops.
//   macOS: `netstat -s -p tcp`, the line "N listen queue overflow(s)" (tcps_listendrop, counted when
//          a connection finds its listener's queue full; Apple's network_cmds netstat.tproj/inet.c
//          prints it as "\t%u listen queue overflow%s\n", zeros included). No ListenDrops there.
//   Elsewhere (Windows): none, and the result says so (env.ts `unmeasured`).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface ListenCounters {
  listenOverflows: number;
  /** Linux only. */
  listenDrops?: number;
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

/** Parse macOS `netstat -s -p tcp`: its "N listen queue overflow(s)" line; null without one. */
export function parseDarwinNetstat(text: string): ListenCounters | null {
  const m = /^\s*(\d+) listen queue overflows?\s*$/m.exec(text);
  return m ? { listenOverflows: Number(m[1]) } : null;
}

/** How long a counter read may take (a spawned netstat on macOS). */
const READ_TIMEOUT_MS = 5000;

const run = (file: string, args: string[]): string =>
  execFileSync(file, args, { stdio: ['ignore', 'pipe', 'ignore'], timeout: READ_TIMEOUT_MS, encoding: 'utf8' });

/** Where each platform's counters come from: the text to parse, and how. */
const SOURCES: Partial<Record<NodeJS.Platform, { read: (exec: typeof run) => string; parse: (text: string) => ListenCounters | null }>> = {
  linux: { read: () => readFileSync('/proc/net/netstat', 'utf8'), parse: parseNetstat },
  darwin: { read: (exec) => exec('netstat', ['-s', '-p', 'tcp']), parse: parseDarwinNetstat },
};

/** Why `platform` has no listen counters; null where it has them. */
export function unmeasuredListen(platform: NodeJS.Platform): string | null {
  return SOURCES[platform] ? null : 'Linux (/proc/net/netstat) and macOS (netstat -s -p tcp) only';
}

/** Current counters, or null where they can't be read (another platform, no /proc, netstat failed or timed out). */
export function readListenCounters(platform: NodeJS.Platform = process.platform, exec = run): ListenCounters | null {
  const source = SOURCES[platform];
  if (!source) return null;
  try {
    return source.parse(source.read(exec));
  } catch {
    return null;
  }
}

export function listenDelta(before: ListenCounters | null, after: ListenCounters | null): ListenCounters | undefined {
  if (!before || !after) return undefined;
  const drops =
    before.listenDrops !== undefined && after.listenDrops !== undefined ? { listenDrops: after.listenDrops - before.listenDrops } : {};
  return { listenOverflows: after.listenOverflows - before.listenOverflows, ...drops };
}
