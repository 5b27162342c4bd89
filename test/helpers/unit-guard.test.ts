// The unit tier is guarded: in its process, starting a process, listening and connecting throw an
// error naming the rule and the test file, so an end-to-end test filed among the unit tests fails.
import * as childProcess from 'node:child_process';
import cluster from 'node:cluster';
import dgram from 'node:dgram';
import { createServer, get } from 'node:http';
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

// Not imported from ./unit-guard.js: importing it would install the guard this test looks for.
const flags = globalThis as Record<symbol, unknown>;
const guarded = flags[Symbol.for('cluster-sched-bench.unit-guard')] === true;
const QUIET = Symbol.for('cluster-sched-bench.unit-guard.quiet');
// These calls are refused on purpose: the guard need not print them.
test.before(() => {
  flags[QUIET] = true;
});
test.after(() => {
  delete flags[QUIET];
});

/** The guard's error: its code, the rule, and this file named. */
function refused(what: RegExp) {
  return (e: Error & { code?: string }): boolean =>
    e.code === 'ERR_UNIT_TIER' &&
    what.test(e.message) &&
    e.message.includes('move it under test/e2e/') &&
    e.message.includes('test/helpers/unit-guard.test.');
}

test('this process is the unit tier, loaded with the guard (npm run test:unit)', () => {
  assert.ok(guarded, 'run through scripts/test.js --tier unit: the guard was not loaded');
});

test('child processes: spawn, fork, exec*, execFile* and cluster.fork throw, named', () => {
  assert.ok(guarded);
  const calls: Array<[string, () => unknown]> = [
    ['spawn', () => childProcess.spawn('true')],
    ['spawnSync', () => childProcess.spawnSync('true')],
    ['fork', () => childProcess.fork('nothing.js')],
    ['exec', () => childProcess.exec('true')],
    ['execSync', () => childProcess.execSync('true')],
    ['execFile', () => childProcess.execFile('true')],
    ['execFileSync', () => childProcess.execFileSync('true')],
  ];
  for (const [name, call] of calls) assert.throws(call, refused(new RegExp(`child_process\\.${name}\\(\\)`)), name);
  assert.throws(() => cluster.fork(), refused(/cluster\.fork\(\)/));
});

test('sockets: a server listening, an outgoing connection (net, http) and a UDP bind throw', () => {
  assert.ok(guarded);
  assert.throws(() => createServer().listen(0), refused(/server\.listen\(\)/));
  assert.throws(() => net.createServer().listen(0), refused(/server\.listen\(\)/));
  assert.throws(() => net.connect(9, '127.0.0.1'), refused(/socket\.connect\(\)/));
  assert.throws(() => get('http://127.0.0.1:9/'), refused(/socket\.connect\(\)/));
  assert.throws(() => dgram.createSocket('udp4').bind(0), refused(/dgram socket\.bind\(\)/));
});

test.run();
