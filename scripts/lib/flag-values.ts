// The value checks of flags that are more than a whole number, shared by every command that takes
// them: each returns the parsed value to use, or throws a UsageError naming the value given and
// what is valid (the messages are the `msg` table's, format/errors.ts).
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { isTimed, LOAD_MODES, type LoadMode } from '../../format/loads.js';
import type { Fault } from '../../runner/cluster/protocol.js';
import { faultText, parseFault } from '../../runner/faults.js';
import { nodeVersionOf } from '../../runner/node-binary.js';
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

/** --client-addrs N: Linux routes all of 127.0.0.0/8 to the loopback interface; elsewhere only 127.0.0.1 is there. */
export function clientAddrsFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = int('client-addrs', text, NaN, 1, 254);
  if (n > 1 && process.platform !== 'linux')
    throw new UsageError(
      msg.platform(
        `--client-addrs ${n}`,
        `Linux, where all of 127.0.0.0/8 reaches the loopback interface (${process.platform} has only 127.0.0.1 unless you add aliases)`,
      ),
    );
  return n;
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
