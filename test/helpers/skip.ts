// A test this machine cannot run is registered as skipped, never as a pass: the check runs before
// the test is registered (top-level await is fine), and the reason goes to stderr on a line that
// npm test (scripts/commands/test.ts) repeats above its summary.
import { type Callback, type Test, test } from 'uvu';
import { SKIP_MARK } from '../../scripts/commands/test.js';

/**
 * `t` (default: uvu's `test`) when `why` is null; otherwise a registration that uvu counts as
 * skipped, printing `SKIPPED: <name> (<why>)` on stderr.
 */
export function skipIf(why: string | null, t: Test = test): (name: string, fn: Callback) => void {
  if (why === null) return t;
  return (name) => {
    process.stderr.write(`${SKIP_MARK}${name} (${why})\n`);
    t.skip(name);
  };
}
