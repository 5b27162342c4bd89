// The build is separate from running (`npm ci` builds, then `npm run build` after an edit or a
// pull); `npm run X` no longer compiles first. So in a checkout, a command first looks whether
// some source is newer than the build and says so: it still runs, on the code built before.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The folders `npm run build` compiles: tsconfig.build.json's `include` (none where it is missing: not a checkout). */
function sourceDirs(root: string): string[] {
  try {
    return (JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include?: string[] }).include ?? [];
  } catch {
    return [];
  }
}
/** Written by every build. */
const STAMP = path.join('dist', 'runner', 'run.js');

/** The newest `.ts` source under `root` changed after the build, `root`-relative; undefined when the build is current or there are no sources. */
export function newerSource(root: string): string | undefined {
  let built: number;
  try {
    built = statSync(path.join(root, STAMP)).mtimeMs;
  } catch {
    return undefined; // not built: the import of dist/ already failed, or this is not a checkout
  }
  let newest: { file: string; ms: number } | undefined;
  for (const dir of sourceDirs(root)) {
    let files: string[];
    try {
      files = readdirSync(path.join(root, dir), { recursive: true }) as string[];
    } catch {
      continue;
    }
    for (const f of files) {
      if (!f.endsWith('.ts')) continue;
      const file = path.join(dir, f);
      const ms = statSync(path.join(root, file)).mtimeMs;
      if (ms > built + 1000 && (!newest || ms > newest.ms)) newest = { file, ms };
    }
  }
  return newest?.file;
}

export const staleBuildWarning = (file: string): string =>
  `dist/ is older than ${file.split(path.sep).join('/')}: running the code built before; 'npm run build' compiles the sources`;
