// Another Node binary for the clusters (`--node PATH`): the runner stays on its own Node, the
// primaries and their workers run on PATH (cluster workers inherit the primary's execPath).
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

/** The version PATH reports (`v22.23.3`); throws an Error naming the path and why it is not a Node binary. */
export function nodeVersionOf(file: string): string {
  if (!existsSync(file)) throw new Error(`no such file`);
  if (!statSync(file).isFile()) throw new Error('not a file');
  let out: string;
  try {
    out = execFileSync(file, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 })
      .toString()
      .trim();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`it does not run (${e.code ?? e.message.split('\n')[0]})`);
  }
  if (!/^v\d+\.\d+\.\d+/.test(out)) throw new Error(`'${file} --version' printed '${out.slice(0, 40)}', not a Node version`);
  return out;
}
