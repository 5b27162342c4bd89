// The value checks of bench's flags that are more than a whole number: each returns the value to
// use, or throws a UsageError naming the value given and what is valid. Shared with serve and
// bench:tails (--node).
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import type { LoadMode } from '../../format/schema.js';
import { parseFault } from '../../runner/faults.js';
import { nodeVersionOf } from '../../runner/node-binary.js';
import { LOAD_DEFAULTS } from '../../runner/options.js';
import { intFlag as int } from './flags.js';

/** An http(s) URL flag, as given. */
export function urlFlag(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`invalid --${flag} '${text}': expected a URL such as http://127.0.0.1:3000/`);
  }
  if (u.protocol !== 'http:') throw new UsageError(`invalid --${flag} '${text}': only http:// (valid: http://HOST:PORT/PATH)`);
  return text;
}

/** --node PATH: an existing Node binary, as an absolute path (the result records it). */
export function nodePath(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    nodeVersionOf(file);
  } catch (err) {
    throw new UsageError(msg.node(file, (err as Error).message));
  }
  return path.resolve(file);
}

/** --client-addrs N: Linux routes all of 127.0.0.0/8 to the loopback interface; elsewhere only 127.0.0.1 is there. */
export function clientAddrsFlag(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = int('client-addrs', text, NaN, 1, 254);
  if (n > 1 && process.platform !== 'linux')
    throw new UsageError(
      `--client-addrs ${n} needs Linux, where all of 127.0.0.0/8 reaches the loopback interface (${process.platform} has only 127.0.0.1 unless you add aliases)`,
    );
  return n;
}

/** --fault SPEC, checked against the load: its round must be one the load has. */
export function faultFlag(text: string | undefined, load: LoadMode, roundsText: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let fault: ReturnType<typeof parseFault>;
  try {
    fault = parseFault(text);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  if (fault.kind === 'slow') return text;
  const rounds = load === 'burst' ? Number(roundsText ?? LOAD_DEFAULTS.burst.rounds) : 1;
  if (fault.round > rounds)
    throw new UsageError(
      load === 'burst'
        ? `invalid --fault '${text}': round ${fault.round} is past the last (--rounds ${rounds})`
        : `invalid --fault '${text}': --load ${load} has one round (the fault fires halfway through it): use ROUND 1`,
    );
  return text;
}

export const isLoopback = (h: string): boolean => h === 'localhost' || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
