// The value checks of flags that are more than a whole number, shared by every command that takes
// them: each returns the parsed value to use, or throws a UsageError naming the value given and
// what is valid (the messages are the `msg` table's, format/errors.ts).
import os from 'node:os';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { isTimed, LOAD_MODES, type LoadMode } from '../../format/loads.js';
import type { Fault } from '../../runner/cluster/protocol.js';
import { faultText, parseFault } from '../../runner/faults.js';
import { loopbackSources } from '../../runner/load/types.js';
import { installNode, isNodeVersion, nodeVersionOf } from '../../runner/node-binary.js';
import { DEFAULTS, type RunOptions } from '../../runner/options.js';
import { isServerName, SERVER_NAMES, type ServerName } from '../../servers/registry.js';
import { parseWork, type WorkProfile } from '../../servers/work.js';
import { resolvePolicies, type StrategyName, validPolicyList } from '../../strategies/registry.js';
import { type FlagDoc, intFlag as int } from './flags.js';

/** An http(s) URL flag, as given. */
export function urlFlag(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(msg.url(flag, text, 'expected a URL such as http://127.0.0.1:3000/'));
  }
  if (u.protocol !== 'http:') throw new UsageError(msg.url(flag, text, 'only http:// (valid: http://HOST:PORT/PATH)'));
  return text;
}

/** --node PATH: an existing Node binary, as an absolute path (the result records it). */
export function nodePath(file: string | undefined, flag = 'node'): string | undefined {
  if (file === undefined) return undefined;
  try {
    nodeVersionOf(file);
  } catch (err) {
    throw new UsageError(msg.node(file, (err as Error).message, flag));
  }
  return path.resolve(file);
}

/** --node / --baseline-node as given: a Node version to install (22, 22.12.0), or a binary's path. */
export type NodeChoice = { version: string } | { path: string };

/** Which form a --node value is, by its text alone: a version (isNodeVersion), else a path (`./22` for a file named 22). */
export const nodeChoiceOf = (text: string): NodeChoice => (isNodeVersion(text) ? { version: text } : { path: text });

/**
 * --node VERSION|PATH: a version is kept as given, installed by `resolveNode` once the command runs
 * (never while parsing: nothing is fetched for a command line that is refused); a path must be a
 * Node binary, made absolute.
 */
export function nodeFlag(text: string | undefined, flag = 'node'): NodeChoice | undefined {
  if (text === undefined) return undefined;
  const choice = nodeChoiceOf(text);
  return 'version' in choice ? choice : { path: nodePath(text, flag) as string };
}

/** The binary of a NodeChoice: a path as it is; a version from the cache, installed first as `npm run node:get` does. */
export function resolveNode(choice: NodeChoice, err: NodeJS.WritableStream, flag = 'node', install = installNode): string {
  if ('path' in choice) return choice.path;
  const node = install(choice.version, (line) => err.write(`  --${flag} ${choice.version}: ${line}\n`));
  err.write(`  --${flag} ${choice.version}: ${node.version} at ${node.binary}\n`);
  return node.binary;
}

/** --client-addrs N: each connection from one of 127.0.0.1 .. 127.0.0.N, all on this machine (`checkLoopback`). */
export function clientAddrsFlag(
  text: string | undefined,
  platform: NodeJS.Platform = process.platform,
  local: readonly string[] = localAddresses(),
): number | undefined {
  if (text === undefined) return undefined;
  const n = int('client-addrs', text, NaN, 1, 254);
  checkLoopback(`--client-addrs ${n}`, loopbackSources(n), platform, local, '--client-addrs 1 here');
  return n;
}

/** The IPv4 addresses of this machine's interfaces (a loopback alias someone added shows here). */
export const localAddresses = (): string[] =>
  Object.values(os.networkInterfaces())
    .flat()
    .flatMap((a) => (a && a.family === 'IPv4' ? [a.address] : []));

/** How to add loopback address ADDR, as root / administrator, where Linux's whole 127.0.0.0/8 is not there. */
const aliasFix = (platform: NodeJS.Platform, addr: string): string =>
  platform === 'win32'
    ? `netsh interface ipv4 add address "Loopback Pseudo-Interface 1" ${addr} 255.0.0.0 (as administrator)`
    : `sudo ifconfig lo0 alias ${addr}`;

/**
 * The 127.x.x.x addresses among `addrs` this machine cannot use. Linux routes all of 127.0.0.0/8 to
 * the loopback interface; macOS and the BSDs have only 127.0.0.1 unless an alias is added; Windows
 * makes the others up per connection and may drop them mid-connection unless added statically
 * (Microsoft KB 2864745). An address in `local` (the interfaces' addresses) was added: usable.
 */
export function missingLoopback(addrs: readonly string[], platform: NodeJS.Platform, local: readonly string[]): string[] {
  if (platform === 'linux') return [];
  return addrs.filter((a) => /^127(\.\d{1,3}){3}$/.test(a) && a !== '127.0.0.1' && !local.includes(a));
}

/** Refuse (UsageError) a flag whose loopback addresses are not on this machine, naming them, why, and the fix. */
export function checkLoopback(
  what: string,
  addrs: readonly string[],
  platform: NodeJS.Platform,
  local: readonly string[],
  valid = '127.0.0.1, ::1, localhost',
): void {
  const missing = missingLoopback(addrs, platform, local);
  if (missing.length === 0) return;
  const which = missing.length === 1 ? missing[0] : `${missing[0]} .. ${missing[missing.length - 1]} (${missing.length} addresses)`;
  throw new UsageError(msg.loopbackAlias(what, which, platform, aliasFix(platform, missing[0]), valid));
}

/** --fault SPEC, parsed (a UsageError names a bad one); its round is checked against the load by `checkFaultRound`. */
export const faultFlag = (text: string | undefined): Fault | undefined => (text === undefined ? undefined : parseFault(text));

/** A round-numbered fault must fall in a round the load has (after defaults: a timed load has one). */
export function checkFaultRound(o: RunOptions): void {
  const f = o.fault;
  if (f?.kind === 'reload') {
    // A rolling restart takes a while (a fork and a drain per worker): it needs a load that runs through it.
    if (!isTimed(o)) throw new UsageError(msg.faultRound('reload', `it needs a timed load (sustained, churn, open), not --load ${o.load}`));
    if (o.respawn) throw new UsageError(msg.faultRound('reload', 'it does not go with --respawn (the reload replaces the workers itself)'));
    return;
  }
  if (f === undefined || f.kind === 'slow' || f.round <= o.rounds) return;
  const text = faultText(f);
  throw new UsageError(
    msg.faultRound(
      text,
      isTimed(o)
        ? `--load ${o.load} has one round (the fault fires halfway through it): use ROUND 1`
        : `round ${f.round} is past the last (--rounds ${o.rounds})`,
    ),
  );
}

/** --policy LIST: strategy names and aliases, expanded in order. Empty only when `allowEmpty` (another flag adds one). */
export function policyFlag(text: string, allowEmpty = false): StrategyName[] {
  const { names, unknown } = resolvePolicies(text);
  if (unknown.length > 0 || (names.length === 0 && !allowEmpty)) throw new UsageError(msg.policy(unknown[0] ?? text, validPolicyList()));
  return names;
}

/** The --help entry of --server, with the default the command shows. */
export const serverDoc = (shown: string): FlagDoc => ({
  type: 'string',
  value: 'NAME',
  shown,
  description: `worker app: ${SERVER_NAMES.join(', ')}`,
});

/** --server NAME: a worker app (default: DEFAULTS.server). */
export function serverFlag(text: string | undefined): ServerName {
  const server = text ?? DEFAULTS.server;
  if (!isServerName(server)) throw new UsageError(msg.server(server, SERVER_NAMES.join(', ')));
  return server;
}

/** --work PROFILE, parsed (default: DEFAULTS.work). */
export const workFlag = (text: string | undefined): WorkProfile => (text === undefined ? DEFAULTS.work : parseWork(text));

/** --load MODE (default: DEFAULTS.load). */
export function loadFlag(text: string | undefined): LoadMode {
  const load = text ?? DEFAULTS.load;
  if (!(LOAD_MODES as readonly string[]).includes(load)) throw new UsageError(msg.load(load, LOAD_MODES.join(', ')));
  return load as LoadMode;
}

export const isLoopback = (h: string): boolean => h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
