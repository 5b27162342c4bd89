// Will a load fit this machine's limits? Checked before any process starts, so a burst that cannot
// fit fails at once with one sentence, instead of minutes later as thousands of EMFILE or
// EADDRNOTAVAIL records. Measurements and reasoning: docs/stress.md.
//
// Two limits apply to the load generator:
//   - open files: every connection in flight is a descriptor in the process that opened it (with
//     --clients K, each client process holds its share of the connections);
//   - ephemeral ports: every connection from one source address to one destination (the
//     cluster's ip:port) needs its own local port from ip_local_port_range, whichever process
//     opened it; --client-addrs N spreads them over N source addresses. The server mostly closes
//     first (Connection: close), so TIME_WAIT stays on its side (about 4% on ours, measured) and
//     a port is free again as soon as its request ends: what counts is connections at once.
//
// One applies to the server, and only warns (the load still completes; dropped SYNs are retried):
//   - the listen backlog, which the kernel caps at somaxconn (macOS: 128 by default).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { splitEven } from './load/types.js';

/** Descriptors a load-generator process uses besides its connections (stdio, IPC, the event loop, files it writes). */
export const FD_HEADROOM = 64;
/** Ports in the range that connections cannot have: listeners bound there (the cluster's own port 0 among them), other programs. */
export const PORT_HEADROOM = 256;
/** The most load-generator processes --clients accepts. */
const MAX_CLIENTS = 256;
/** The most loopback source addresses --client-addrs accepts. */
const MAX_CLIENT_ADDRS = 254;

/** The ephemeral port range connect() takes local ports from, both ends included. */
export interface PortRange {
  low: number;
  high: number;
}

export interface LoadLimitsInput {
  /**
   * Connections at once, all clients together (the mode's LoadDef `connectionsAtOnce`: burst per
   * round, sustained and churn concurrent clients); null when the load does not bound it (the open
   * loop: rate x latency): not checked.
   */
  connections: number | null;
  /** Load-generator processes sharing them (--clients). */
  clients: number;
  /** Source addresses they spread over (--client-addrs; absent: one). */
  clientAddrs?: number;
  /** Soft open-file limit (env.ts openFileLimit()); null: unknown, not checked. */
  openFileLimit: number | null;
  /** readPortRange(); null: unknown, not checked. */
  portRange: PortRange | null;
}

/**
 * Connections at once from the busiest source address: each client process numbers its own share's
 * connections and gives connection n the address n mod `addrs` (runner/load/types.ts sourceOf).
 */
function perAddress(connections: number, clients: number, addrs: number): number {
  const q = Math.floor(connections / clients); // splitEven: the first connections % clients shares have one more
  const r = connections % clients;
  return r * Math.ceil((q + 1) / addrs) + (clients - r) * Math.ceil(q / addrs);
}

/** The fewest --clients that bring each process's share within `limit`, or null when no count up to the maximum does. */
function clientsFor(connections: number, limit: number): number | null {
  const perProcess = limit - FD_HEADROOM;
  if (perProcess < 1) return null;
  const k = Math.ceil(connections / perProcess);
  return k <= MAX_CLIENTS ? k : null;
}

/**
 * Null when the load fits the ephemeral port range and the open-file limit; else one sentence naming
 * the value, the limit and what to do. Ports first: no --clients count helps with those, so the
 * open-file advice below can suggest one. Pure: the caller reads the limits.
 */
export function checkLoadLimits(input: LoadLimitsInput): string | null {
  if (input.connections === null) return null;
  const i = { ...input, connections: input.connections };
  const clients = Math.max(1, i.clients);
  const addrs = Math.max(1, i.clientAddrs ?? 1);
  const range = i.portRange;
  if (range !== null) {
    const ports = range.high - range.low + 1;
    const usable = Math.max(0, ports - PORT_HEADROOM);
    const need = perAddress(i.connections, clients, addrs);
    if (need > usable) {
      let fits = usable * addrs;
      while (fits > 0 && perAddress(fits, clients, addrs) > usable) fits--;
      let more = addrs + 1;
      while (more <= MAX_CLIENT_ADDRS && perAddress(i.connections, clients, more) > usable) more++;
      const fixes = [`lower --connections to ${fits}`];
      if (more <= MAX_CLIENT_ADDRS) fixes.push(`spread them over more source addresses (--client-addrs ${more}, Linux)`);
      fixes.push('widen the range (sysctl net.ipv4.ip_local_port_range)');
      const from = addrs > 1 ? `from one of the ${addrs} source addresses (--client-addrs ${addrs})` : 'from one source address';
      return (
        `--connections ${i.connections} needs ${need} local ports at once ${from} to one destination but the ephemeral port range ` +
        `${range.low}-${range.high} has ${ports} (about ${usable} usable): ${fixes.slice(0, -1).join(', ')} or ${fixes[fixes.length - 1]}; ` +
        '--clients does not help, its processes share the range'
      );
    }
  }
  const limit = i.openFileLimit;
  const share = splitEven(i.connections, clients)[0]; // the largest share
  if (limit === null || share + FD_HEADROOM <= limit) return null;
  const need = share + FD_HEADROOM;
  const who =
    clients > 1
      ? `with --clients ${clients}, each load-generator process holds up to ${share} connections at once`
      : `the load generator holds ${share} connections at once`;
  // Node raises its soft limit to the hard one at start-up: the hard limit is the one to raise (`ulimit -n` alone changes nothing).
  const fixes = [
    `raise the hard limit (ulimit -Hn ${need} as root, or nofile in /etc/security/limits.conf; macOS: sudo launchctl limit maxfiles ${need} ${need})`,
  ];
  const fits = (limit - FD_HEADROOM) * clients;
  if (fits >= 1) fixes.push(`lower --connections to ${fits}`);
  const k = clientsFor(i.connections, limit);
  if (k !== null && k > clients) fixes.push(`split it across processes (--clients ${k})`);
  const last = fixes.pop();
  const todo = fixes.length > 0 ? `${fixes.join(', ')} or ${last}` : last;
  return `--connections ${i.connections} needs about ${need} open files per process (${who}) but the open-file limit is ${limit}: ${todo}`;
}

/** Parse /proc/sys/net/ipv4/ip_local_port_range ("32768\t60999\n"); null when it is not two ports, low <= high. */
export function parsePortRange(text: string): PortRange | null {
  const m = /^\s*(\d+)\s+(\d+)\s*$/.exec(text);
  if (!m) return null;
  const low = Number(m[1]);
  const high = Number(m[2]);
  return low >= 1 && low <= high && high <= 65535 ? { low, high } : null;
}

/** The ephemeral port range: Linux only (/proc); null elsewhere or when unreadable, meaning unknown. */
export function readPortRange(file = '/proc/sys/net/ipv4/ip_local_port_range'): PortRange | null {
  if (process.platform !== 'linux') return null;
  try {
    return parsePortRange(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

/** Where each platform keeps the cap on a listen backlog, and how to raise it to N. */
const SOMAXCONN: Partial<Record<NodeJS.Platform, { name: string; read: () => string; fix: (n: number) => string }>> = {
  linux: {
    name: 'net.core.somaxconn',
    read: () => readFileSync('/proc/sys/net/core/somaxconn', 'utf8'),
    fix: (n) => `sudo sysctl -w net.core.somaxconn=${n}`,
  },
  darwin: {
    name: 'kern.ipc.somaxconn',
    read: () =>
      execFileSync('sysctl', ['-n', 'kern.ipc.somaxconn'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000, encoding: 'utf8' }),
    fix: (n) => `sudo sysctl -w kern.ipc.somaxconn=${n}`,
  },
};

/** The kernel's cap on a listen backlog and its setting's name; null where unknown (Windows, unreadable). */
export interface Somaxconn {
  name: string;
  value: number;
}

/** Parse one whole number (a sysctl's value); null otherwise. */
export function parseSomaxconn(text: string): number | null {
  const m = /^\s*(\d+)\s*$/.exec(text);
  return m ? Number(m[1]) : null;
}

/** The listen backlog cap: Linux /proc, macOS `sysctl -n kern.ipc.somaxconn` (bounded); null elsewhere or when unreadable. */
export function readSomaxconn(platform: NodeJS.Platform = process.platform, read = SOMAXCONN[platform]?.read): Somaxconn | null {
  const name = SOMAXCONN[platform]?.name;
  if (name === undefined || read === undefined) return null;
  try {
    const value = parseSomaxconn(read());
    return value === null ? null : { name, value };
  } catch {
    return null;
  }
}

export interface BacklogInput {
  /** --backlog. */
  backlog: number;
  /** readSomaxconn(); null: unknown, nothing to say. */
  somaxconn: Somaxconn | null;
  /** Connections at once (LoadDef `connectionsAtOnce`); null: not bounded by the load (the open loop, serve): the cap alone decides. */
  connections: number | null;
  platform: NodeJS.Platform;
}

/**
 * The kernel silently caps every listen backlog at somaxconn (macOS: 128 by default, Linux before
 * 5.4: 128). A burst larger than the capped queue overflows it: the SYNs dropped are retried after
 * about a second, which shows as p99. Null when the cap does not bite this load; else one sentence
 * with the fix. Pure: the caller reads the setting.
 */
export function backlogWarning(i: BacklogInput): string | null {
  const cap = i.somaxconn;
  if (cap === null || cap.value >= i.backlog) return null;
  if (i.connections !== null && i.connections <= cap.value) return null;
  const fix = SOMAXCONN[i.platform]?.fix(i.backlog) ?? `raise ${cap.name} to ${i.backlog}`;
  const burst = i.connections === null ? 'more connections at once than that' : `${i.connections} connections at once`;
  return (
    `the kernel caps the listen backlog at ${cap.name} ${cap.value}, not --backlog ${i.backlog}: ` +
    `${burst} can overflow the accept queue and drop SYNs (retried after about 1 s, seen in p99); raise it: ${fix}`
  );
}
