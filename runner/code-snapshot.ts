// A running bench or serve forks its primaries (whose workers fork from beside them) and its load
// generators from a copy of the built code taken when it starts, not from dist/ itself: a rebuild
// (`npm run build`, `npm test`), a `git pull` and build, in another terminal cannot hand the next
// strategy half-written or different code.
//
//   <root>/dist (minus test/)  ->  <root>/node_modules/.cache/cluster-sched-bench/code-<pid>-<n>/
//                                  + package.json {"type": "module"} (Node stops looking for the
//                                  package scope at node_modules, so the copy needs its own)
//   bare imports (fastify, autocannon) resolve up the folders to <root>/node_modules, as from dist/;
//   the copy is removed when the process exits (also on Ctrl-C), and copies of processes that
//   died without cleaning up are removed by the next start.
//
// A checkout that cannot be written to (installed read-only) runs from dist/ itself, with a warning.
import { cpSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** This tool's own built code: dist/ (this file is dist/runner/code-snapshot.js). */
const DIST_DIR = path.resolve(fileURLToPath(new URL('..', import.meta.url)));

const CACHE = path.join('node_modules', '.cache', 'cluster-sched-bench');
const PREFIX = 'code-';

export interface CodeSnapshot {
  /** The copy's root, standing in for dist/. */
  dir: string;
  /** `rel` (as under dist/, `/`-separated) in the copy. */
  file(rel: string): string;
  remove(): void;
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'; // someone else's live process
  }
};

/** Remove the copies left by processes that are gone (killed before their exit handler ran). */
export function sweepSnapshots(cacheDir: string): void {
  let names: string[];
  try {
    names = readdirSync(cacheDir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/^code-(\d+)-/.exec(name)?.[1] ?? NaN);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) rmSync(path.join(cacheDir, name), { recursive: true, force: true });
  }
}

let serial = 0;

/** Copy `root`'s dist/ (its tests left out) beside its node_modules; the copy goes at process exit. */
export function snapshotCode(root: string): CodeSnapshot {
  const dist = path.join(root, 'dist');
  const cacheDir = path.join(root, CACHE);
  sweepSnapshots(cacheDir);
  const dir = path.join(cacheDir, `${PREFIX}${process.pid}-${serial++}`);
  mkdirSync(dir, { recursive: true });
  // dist/ itself may be a link (a checkout sharing another's build): copy what it points at, files not links.
  const from = realpathSync(dist);
  const test = path.join(from, 'test');
  cpSync(from, dir, { recursive: true, dereference: true, filter: (src) => src !== test });
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  const remove = (): void => {
    rmSync(dir, { recursive: true, force: true });
    process.off('exit', remove);
  };
  process.on('exit', remove);
  return { dir, file: (rel) => path.join(dir, ...rel.split('/')), remove };
}

let own: CodeSnapshot | null | undefined;

/**
 * Take this tool's own snapshot (bench and serve call it first thing); later forks come from it.
 * Returns a warning when it could not (the code then runs from dist/ itself).
 */
export function useCodeSnapshot(): string | undefined {
  if (own !== undefined) return undefined;
  try {
    own = snapshotCode(path.dirname(DIST_DIR));
    return undefined;
  } catch (err) {
    own = null;
    const e = err as NodeJS.ErrnoException;
    return `could not copy the built code (${e.code ?? e.message}): running from dist/ itself, so a rebuild during this run would change it`;
  }
}

/** The file to fork: in this process's snapshot when it took one, else in dist/. */
export const codeFile = (rel: string): string => (own ? own.file(rel) : path.join(DIST_DIR, ...rel.split('/')));
