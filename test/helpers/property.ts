// The property tests' harness: a command run in-process with its streams captured, and the
// one-line error contract (exit 2: one `error:` line, no stack) as a check that says what broke.
import { Writable } from 'node:stream';
import { type Command, runCommand } from '../../scripts/lib/command.js';

/**
 * Fixed seed: CI runs the same cases every time; a failure prints its counterexample and seed.
 * To hunt further by hand: PROP_SEED=7 PROP_SCALE=20 npm test -- property (other cases, 20x as many).
 */
export const SEED = Number(process.env.PROP_SEED ?? 42);
const SCALE = Number(process.env.PROP_SCALE ?? 1);
/** `n` runs, times PROP_SCALE. */
export const runs = (n: number): number => Math.max(1, Math.round(n * SCALE));

export interface Ran {
  code: number;
  out: string;
  err: string;
}

/** A writable that keeps what is written (a command's stdout or stderr, in-process). */
export function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write: (chunk, _enc, cb) => {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

/** `c` on `argv` in this process, as `npm run` would run it but without signal handlers. Rejects only if the wrapper itself throws. */
export async function runInProcess<T>(c: Command<T>, argv: readonly string[]): Promise<Ran> {
  const out = sink();
  const err = sink();
  const code = await runCommand(c, argv, { out: out.stream, err: err.stream, signals: false });
  return { code, out: out.text(), err: err.text() };
}

/** What is wrong with `stderr` as a usage error (exactly one line `error: <something>`, no stack frame); null when nothing. */
export function notOneErrorLine(stderr: string): string | null {
  const lines = stderr.split('\n');
  if (lines.length !== 2 || lines[1] !== '') return `${lines.length - 1} lines, not 1`;
  if (!/^error: \S/.test(lines[0])) return 'the line does not start with `error: ` and a word';
  if (/^\s*at \S|\.[cm]?[jt]s:\d+:\d+/.test(lines[0])) return 'a stack frame';
  return null;
}

/** A failure message with the case, for fast-check's counterexample report. */
export function fail(what: string, argv: readonly string[], r: Ran): Error {
  const err = r.err.length > 600 ? `${r.err.slice(0, 200)} [...] ${r.err.slice(-400)}` : r.err;
  return new Error(`${what}\n  argv: ${JSON.stringify(argv)}\n  exit ${r.code}\n  stderr: ${JSON.stringify(err)}`);
}
