// Reading a file the user named (--app, --strategy-file), for both loaders. Its own module: the
// primary imports the strategy loader at start, and must not load format/ (the result schema) with it.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** A file the user named (--app, --strategy-file): its absolute path and bytes; unreadable, `bad(why)` is thrown. */
export function readUserFile(file: string, bad: (why: string) => Error): { abs: string; bytes: Buffer } {
  const abs = path.resolve(file);
  try {
    return { abs, bytes: readFileSync(abs) };
  } catch (err) {
    throw bad(`cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}
