import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listenDelta, parseNetstat, readListenCounters } from '../../runner/kernel.js';

// The shape of /proc/net/netstat: pairs of lines, names then values, per protocol extension.
const SAMPLE = [
  'TcpExt: SyncookiesSent SyncookiesRecv ListenOverflows ListenDrops TCPHPHits',
  'TcpExt: 0 0 131 135 98765',
  'IpExt: InNoRoutes InTruncatedPkts',
  'IpExt: 0 0',
].join('\n');

test('parseNetstat reads ListenOverflows and ListenDrops by name, not position', () => {
  assert.equal(parseNetstat(SAMPLE), { listenOverflows: 131, listenDrops: 135 });
});

test('parseNetstat: null when the counters are missing', () => {
  assert.is(parseNetstat('IpExt: InNoRoutes\nIpExt: 0'), null);
  assert.is(parseNetstat('TcpExt: SyncookiesSent\nTcpExt: 0'), null);
  assert.is(parseNetstat(''), null);
});

test('listenDelta subtracts, and is absent when either side could not be read', () => {
  assert.equal(listenDelta({ listenOverflows: 10, listenDrops: 12 }, { listenOverflows: 15, listenDrops: 20 }), {
    listenOverflows: 5,
    listenDrops: 8,
  });
  assert.is(listenDelta(null, { listenOverflows: 1, listenDrops: 1 }), undefined);
});

if (process.platform === 'linux') {
  test('on Linux, the live counters are read from /proc/net/netstat', () => {
    const c = readListenCounters();
    assert.ok(c !== null, '/proc/net/netstat should have TcpExt ListenOverflows on Linux');
    assert.ok(Number.isInteger(c.listenOverflows) && c.listenOverflows >= 0);
    assert.ok(Number.isInteger(c.listenDrops) && c.listenDrops >= 0);
  });
} else {
  test('off Linux, there are no counters (reported as absent, not as an error)', () => {
    assert.is(readListenCounters(), null);
  });
}

test.run();
