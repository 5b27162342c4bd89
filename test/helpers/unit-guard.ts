// The unit tier's rule, enforced: scripts/commands/test.ts loads this module (node --import) into
// the unit tier's process, and from then on every way out of the process throws: starting a process
// (child_process spawn, fork, exec*, execFile*, cluster.fork), listening (net, http, https and tls
// servers all listen through net.Server; dgram bind) and connecting (net, tls, http clients and
// fetch all connect through net.Socket). The error names the rule and the test file, and is also
// printed at once: uvu swallows an error thrown in a before() hook.
import childProcess from 'node:child_process';
import cluster from 'node:cluster';
import dgram from 'node:dgram';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';

/** Set on globalThis while the guard is in force (test/helpers/unit-guard.test.ts checks it). */
export const UNIT_GUARD = Symbol.for('cluster-sched-bench.unit-guard');
/** Set on globalThis by a test that calls blocked functions on purpose: throw, print nothing. */
export const UNIT_GUARD_QUIET = Symbol.for('cluster-sched-bench.unit-guard.quiet');

export const RULE =
  'unit tests run in one process with no child processes and no sockets; a test that needs them is end to end: move it under test/e2e/ (the same path below it), where npm run test:e2e runs it';

/** The test file on the stack (source path, thanks to --enable-source-maps), or null. */
function testFileOnStack(): string | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 100;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  const m = /((?:dist[\\/])?test[\\/](?:[^\s:()]+[\\/])?[^\s:()\\/]+\.test\.[jt]s)/.exec(stack.replaceAll('\\', '/'));
  return m ? m[1].replace(/^dist\//, '') : null;
}

const reported = new Set<string>();

function refuse(what: string): never {
  const file = testFileOnStack();
  const message = `unit tier: ${what} in ${file ?? 'a unit test'}: ${RULE}`;
  if (!reported.has(message) && (globalThis as Record<symbol, unknown>)[UNIT_GUARD_QUIET] !== true) {
    reported.add(message);
    process.stderr.write(`\n${message}\n`);
  }
  throw Object.assign(new Error(message), { code: 'ERR_UNIT_TIER' });
}

// Code under test may catch the error (a --node check turning it into a usage error) and the test
// pass: the tier still fails, naming what was refused.
process.on('exit', () => {
  if (reported.size === 0) return;
  process.stderr.write(`\nunit tier: ${reported.size} refused call(s), listed above: the tier fails even where a test caught the error\n`);
  process.exitCode = 1;
});

function block(target: object, names: readonly string[], label: string): void {
  for (const name of names)
    Object.defineProperty(target, name, {
      value: function blocked(): never {
        return refuse(`${label}${name}()`);
      },
      writable: true,
      configurable: true,
    });
}

block(childProcess, ['spawn', 'spawnSync', 'fork', 'exec', 'execSync', 'execFile', 'execFileSync'], 'child_process.');
block(cluster, ['fork'], 'cluster.');
block(net.Server.prototype, ['listen'], 'server.');
block(net.Socket.prototype, ['connect'], 'socket.');
block(dgram.Socket.prototype, ['bind', 'connect'], 'dgram socket.');
// `import { spawn } from 'node:child_process'` reads the ESM view of the builtin: bring it up to date.
syncBuiltinESMExports();

(globalThis as Record<symbol, unknown>)[UNIT_GUARD] = true;
