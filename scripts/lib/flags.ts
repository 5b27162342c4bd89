// Flag helpers shared by every CLI of the project: --help lines drawn from the CLI's own flag
// table, parsing with clear errors, and whole-number flag values checked against a range.
import { parseArgs } from 'node:util';
import { msg, UsageError } from '../../format/errors.js';

export interface FlagDoc {
  type: 'string' | 'boolean';
  /** Placeholder for the value in --help (`N`, `DIR`). */
  value?: string;
  description: string;
  /** The default as shown to people (parseArgs' own `default` is not always what a user sees). */
  shown?: string;
}

export function flagLines(flags: Record<string, FlagDoc>): string[] {
  const rows = Object.entries(flags).map(([name, f]) => [
    `--${name}${f.value ? ` ${f.value}` : ''}`,
    f.description,
    f.shown ? `(default: ${f.shown})` : '',
  ]);
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([f, d, def]) => `  ${f.padEnd(w)}  ${d}${def ? ` ${def}` : ''}`);
}

/** A whole-number flag: `fallback` when absent; else a UsageError naming the flag, value and range. */
export function intFlag(flag: string, text: string | undefined, fallback: number, min: number, max: number): number {
  if (text === undefined) return fallback;
  const n = /^\d+$/.exec(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(msg.integer(flag, text, min, max));
  return n;
}

/** parseArgs calls `--workers -1` ambiguous; pass it as `--workers=-1` so validation names the value. */
function joinNegatives(argv: readonly string[], flags: Record<string, FlagDoc>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const name = argv[i].startsWith('--') ? argv[i].slice(2) : '';
    const takesValue = Object.hasOwn(flags, name) && flags[name].type === 'string';
    if (takesValue && /^-\d/.test(argv[i + 1] ?? '')) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

/**
 * node:util parseArgs, strict, for a CLI's flag table: a bad command line becomes one UsageError
 * line (an unknown flag is named; anything else is parseArgs' first line, with a hint to --help).
 */
export function parseFlags(
  argv: readonly string[],
  flags: Record<string, FlagDoc>,
  allowPositionals: boolean,
): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const options = Object.fromEntries(Object.entries(flags).map(([k, f]) => [k, { type: f.type }]));
    return parseArgs({ args: joinNegatives(argv, flags), options, strict: true, allowPositionals });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const unknown = e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(e.message)?.[1] : undefined;
    throw new UsageError(unknown ? msg.unknownFlag(unknown) : `${e.message.split('\n')[0]} (see --help)`);
  }
}

/** Typed readers over parsed flag values: a string flag as given, a whole-number flag checked against its range. */
export function flagReader<K extends string>(values: Record<string, string | boolean | undefined>) {
  const str = (k: K): string | undefined => values[k] as string | undefined;
  const int = (k: K, fallback: number, min: number, max: number): number => intFlag(k, str(k), fallback, min, max);
  return { str, int };
}
