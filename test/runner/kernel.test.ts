import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listenDelta, parseDarwinNetstat, parseNetstat, readListenCounters, unmeasuredListen } from '../../runner/kernel.js';

// The shape of /proc/net/netstat: pairs of lines, names then values, per protocol extension.
const SAMPLE = [
  'TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops TCPHPHits',
  'TcpExt: 0 0 131 135 98765',
  'IpExt: InNoRoutes InTruncatedPkts',
  'IpExt: 0 0',
].join('\n');

// macOS `netstat -s -p tcp`, the lines around the counter, as Apple's network_cmds netstat.tproj/inet.c
// prints them (tab-indented, "%u listen queue overflow%s", zeros printed too).
const DARWIN = [
  'tcp:',
  '\t1893452 packets sent',
  '\t\t1021344 data packets (284201110 bytes)',
  '\t2035117 packets received',
  '\t19021 connection requests',
  '\t18790 connection accepts',
  '\t0 bad connection attempts',
  '\t2310 listen queue overflows',
  '\t37411 connections established (including accepts)',
  '\t37802 connections closed (including 512 drops)',
  '\t12 embryonic connections dropped',
].join('\n');

test('parseNetstat reads ListenOverflows and ListenDrops by name, not position', () => {
  assert.equal(parseNetstat(SAMPLE), { listenOverflows: 131, listenDrops: 135 });
});

test('parseNetstat: null when the counters are missing', () => {
  assert.is(parseNetstat('IpExt: InNoRoutes\nIpExt: 0'), null);
  assert.is(parseNetstat('TcpExt: SyncookiesSent\nTcpExt: 0'), null);
  assert.is(parseNetstat(''), null);
});

test('parseDarwinNetstat reads the listen queue overflow line, plural or one; macOS has no ListenDrops', () => {
  assert.equal(parseDarwinNetstat(DARWIN), { listenOverflows: 2310 });
  assert.equal(parseDarwinNetstat(DARWIN.replace('2310 listen queue overflows', '1 listen queue overflow')), { listenOverflows: 1 });
  assert.equal(parseDarwinNetstat(DARWIN.replace('2310 listen queue overflows', '0 listen queue overflows')), { listenOverflows: 0 });
});

test('parseDarwinNetstat: null without the line (a netstat that printed something else)', () => {
  assert.is(parseDarwinNetstat(DARWIN.replace('\t2310 listen queue overflows\n', '')), null);
  assert.is(parseDarwinNetstat(''), null);
  assert.is(parseDarwinNetstat(SAMPLE), null);
});

test('readListenCounters on macOS runs netstat -s -p tcp (injected here) and parses it; a failing netstat is null', () => {
  const calls: string[][] = [];
  const exec = (file: string, args: string[]): string => {
    calls.push([file, ...args]);
    return DARWIN;
  };
  assert.equal(readListenCounters('darwin', exec), { listenOverflows: 2310 });
  assert.equal(calls, [['netstat', '-s', '-p', 'tcp']]);
  const broken = (): string => {
    throw Object.assign(new Error('spawnSync netstat ETIMEDOUT'), { code: 'ETIMEDOUT' });
  };
  assert.is(readListenCounters('darwin', broken), null);
});

test('Windows has no counters: null without running anything, and the reason names the platforms that do', () => {
  const exec = (): string => {
    throw new Error('must not run');
  };
  assert.is(readListenCounters('win32', exec), null);
  assert.is(unmeasuredListen('win32'), 'Linux (/proc/net/netstat) and macOS (netstat -s -p tcp) only');
  assert.is(unmeasuredListen('linux'), null);
  assert.is(unmeasuredListen('darwin'), null);
});

test('listenDelta subtracts, and is absent when either side could not be read', () => {
  assert.equal(listenDelta({ listenOverflows: 10, listenDrops: 12 }, { listenOverflows: 15, listenDrops: 20 }), {
    listenOverflows: 5,
    listenDrops: 8,
  });
  assert.is(listenDelta(null, { listenOverflows: 1, listenDrops: 1 }), undefined);
});

test('listenDelta on macOS: overflows only, no listenDrops key', () => {
  assert.equal(listenDelta({ listenOverflows: 2310 }, { listenOverflows: 2352 }), { listenOverflows: 42 });
});

if (process.platform === 'linux') {
  test('on Linux, the live counters are read from /proc/net/netstat', () => {
    const c = readListenCounters();
    assert.ok(c !== null, '/proc/net/netstat should have TcpExt ListenOverflows on Linux');
    assert.ok(Number.isInteger(c.listenOverflows) && c.listenOverflows >= 0);
    assert.ok(Number.isInteger(c.listenDrops) && (c.listenDrops ?? -1) >= 0);
  });
}

test.run();
