// One wrapper for every command (each a `Command` in scripts/commands/):
//
//   argv -> --help? print the page (stdout), 0
//        -> parseFlags (the command's flag table + --debug + --help) -> parse() -> options
//        -> run(options, context) -> exit code
//   errors: UsageError -> one line, exit 2; anything else -> one line, exit 1 (stack with --debug)
//   Ctrl-C / SIGTERM: the context's signal aborts (its reason: the signal's name), the note is
//   printed, cleanup() stops whatever the command started, exit 128 + the signal's number (130,
//   143). cleanup() also runs after every run, however it ended. A command that `endsOnSignal`
//   (bench, serve) finishes in its own time instead, keeping what it measured; within its
//   `stopDeadlineMs`, or at a second signal, hardStop() kills everything it started and it exits.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../format/errors.js';
import { type Paint, paintFor } from '../../reports/terminal.js';
import { type FlagDoc, flagLines, parseFlags } from './flags.js';
import { newerSource, staleBuildWarning } from './freshness.js';

/** The checkout (or installed package) this code was built from: dist/scripts/lib/ is three below. */
const REPO_ROOT = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** Every command has these; a command's table adds its own. */
export const COMMON_FLAGS = {
  debug: { type: 'boolean', description: 'print stack traces on errors' },
  help: { type: 'boolean', description: 'show this help' },
} as const satisfies Record<string, FlagDoc>;

export type FlagValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  /** Humans: progress, tables, errors. */
  err: NodeJS.WritableStream & { isTTY?: boolean };
  /** Machines: --json, and the --help page (asked-for output: pipeable). */
  out: NodeJS.WritableStream;
  paint: Paint;
  /** Aborted on Ctrl-C or SIGTERM; the reason is the signal's name. */
  signal: AbortSignal;
}

const SIGNAL_NUMBERS: Record<string, number> = { SIGINT: 2, SIGTERM: 15 };

/** The exit code a run stopped by `signal` ends with: 128 + its number (SIGINT 130, SIGTERM 143). */
export const signalExitCode = (signal: AbortSignal): number => 128 + (SIGNAL_NUMBERS[String(signal.reason)] ?? 2);

/** The exit codes a signal gives, as every command's `exitCodes` states them (see signalExitCode). */
export const INTERRUPTED_EXIT = '130 / 143 interrupted (Ctrl-C / SIGTERM)';

export interface Command<T> {
  /** `cluster-sched-bench NAME`, `npm run NAME` */
  name: string;
  /** The first line of --help. */
  summary: string;
  /** After `Usage: cluster-sched-bench NAME ` (and `npm run NAME -- `); default `[flags]`. */
  usage?: string;
  /** Paragraphs between the usage line and the flags. */
  notes?: string[];
  flags: Record<string, FlagDoc>;
  positionals?: boolean;
  examples?: string[];
  exitCodes: string;
  /** Parsed flags -> complete options; throws UsageError on bad input (nothing started yet). */
  parse(values: FlagValues, positionals: string[]): T;
  run(options: T, ctx: CommandContext): Promise<number>;
  /** Stops what the command started (clusters); runs on interrupt and after every run. */
  cleanup?: () => Promise<void>;
  /** Printed on Ctrl-C, after `interrupted: `. */
  interruptNote?: string;
  /**
   * Ctrl-C is how this command ends (serve), or it keeps what it measured (bench): the first one
   * only aborts the context's signal and run() finishes in its own time (and exit code); a second
   * one calls hardStop() and exits at once.
   */
  endsOnSignal?: boolean;
  /** With endsOnSignal: after the first signal, run() gets this long; then hardStop() and exit. */
  stopDeadlineMs?: number;
  /** Synchronous: kill every process the command started, now (a second Ctrl-C, a missed deadline). */
  hardStop?: () => void;
}

export function helpPage(c: Command<unknown>): string {
  const section = (title: string, lines: readonly string[] | undefined): string[] =>
    lines && lines.length > 0 ? ['', title, ...lines.map((l) => `  ${l}`)] : [];
  return [
    c.summary,
    '',
    `Usage: ${BIN} ${c.name} ${c.usage ?? '[flags]'}`,
    `   or: npm run ${c.name} -- ${c.usage ?? '[flags]'}`,
    ...(c.notes ?? []).flatMap((n) => ['', ...n.split('\n').map((l) => `  ${l}`)]),
    '',
    ...flagLines({ ...c.flags, ...COMMON_FLAGS }),
    ...section('Examples:', c.examples),
    '',
    `Exit codes: ${c.exitCodes}`,
  ].join('\n');
}

/** The command this package installs (package.json `bin`; also `csb`). */
export const BIN = 'cluster-sched-bench';

export interface CommandIo {
  err?: CommandContext['err'];
  out?: CommandContext['out'];
  /** Listen for SIGINT/SIGTERM (off for in-process tests). */
  signals?: boolean;
}

/** Run a command; resolves to its exit code. */
export async function runCommand<T>(c: Command<T>, argv: readonly string[], io: CommandIo = {}): Promise<number> {
  const err = io.err ?? process.stderr;
  const out = io.out ?? process.stdout;
  const paint = paintFor(err as NodeJS.WriteStream);
  const debug = argv.includes('--debug');
  const abort = new AbortController();
  let deadline: NodeJS.Timeout | undefined;
  const hardExit = (why: string): never => {
    c.hardStop?.();
    err.write(`\n${why}: stopped every process at once\n`);
    process.exit(signalExitCode(abort.signal));
  };
  // The handlers stay installed from the first signal on (never re-armed): a second signal is never
  // left to Node's default death by signal, however soon it follows the first.
  const onSignal = (name: NodeJS.Signals): void => {
    if (c.endsOnSignal) {
      if (abort.signal.aborted) hardExit(`second ${name}`);
      abort.abort(name);
      if (c.interruptNote) err.write(`\ninterrupted (${name}): ${c.interruptNote}\n`);
      if (c.stopDeadlineMs !== undefined)
        deadline = setTimeout(() => hardExit(`not stopped within ${c.stopDeadlineMs} ms`), c.stopDeadlineMs);
      return;
    }
    if (abort.signal.aborted) return; // already cleaning up and exiting
    abort.abort(name);
    err.write(`\ninterrupted${c.interruptNote ? `: ${c.interruptNote}` : ''}\n`);
    void (c.cleanup?.() ?? Promise.resolve()).finally(() => process.exit(signalExitCode(abort.signal)));
  };
  if (io.signals !== false) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  try {
    // -h is --help's short form (the only one: every other flag is long).
    const args = argv.map((a) => (a === '-h' ? '--help' : a));
    const { values, positionals } = parseFlags(args, { ...c.flags, ...COMMON_FLAGS }, c.positionals ?? false);
    if (values.help) {
      out.write(`${helpPage(c as Command<unknown>)}\n`);
      return 0;
    }
    const options = c.parse(values, positionals);
    return await c.run(options, { err, out, paint, signal: abort.signal });
  } catch (e) {
    if (abort.signal.aborted && !c.endsOnSignal) return signalExitCode(abort.signal); // already reported; the error is the run being stopped
    const error = e as Error & { exitCode?: number };
    // One line: a usage error names the value given, so a newline in it is shown escaped, not cut.
    const line = error instanceof UsageError ? error.message.replace(/\r?\n/g, '\\n') : error.message.split('\n')[0];
    err.write(`${paint.red('error:')} ${line}\n`);
    if (debug && error.stack) err.write(`${error.stack}\n`);
    return error instanceof UsageError ? 2 : (error.exitCode ?? 1);
  } finally {
    await c.cleanup?.();
    clearTimeout(deadline);
    // Stopped by a signal, the process is about to exit: a second one that lands now still means
    // "quit at once" (130 / 143), not Node's default death by signal. Otherwise leave no handler.
    if (!(c.endsOnSignal && abort.signal.aborted)) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

/**
 * A command as its own process (`npm run NAME`, the bin): warns when the sources are newer than
 * the build, then runs it and sets the exit code.
 */
export async function main<T>(c: Command<T>, argv: readonly string[]): Promise<void> {
  const stale = newerSource(REPO_ROOT);
  if (stale) process.stderr.write(`${paintFor(process.stderr).bold('warning:')} ${staleBuildWarning(stale)}\n`);
  process.exitCode = await runCommand(c, argv);
}
