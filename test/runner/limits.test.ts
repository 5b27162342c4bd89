// checkLoadLimits: a burst that cannot fit the open-file limit or the ephemeral port range is
// refused in one sentence naming the value, the limit and the fix; anything that fits, or whose
// limits are unknown, passes. readPortRange: Linux's /proc file, or null (unknown). backlogWarning:
// the kernel's somaxconn cap on --backlog, said with its fix when a load can overflow it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOAD_MODES, type LoadMode } from '../../format/loads.js';
import {
  type BacklogInput,
  backlogWarning,
  checkLoadLimits,
  FD_HEADROOM,
  type LoadLimitsInput,
  PORT_HEADROOM,
  parsePortRange,
  parseSomaxconn,
  readPortRange,
  readSomaxconn,
} from '../../runner/limits.js';
import { loadDef } from '../../runner/load/index.js';
import { resolveOptions } from '../../runner/options.js';

const LINUX_RANGE = { low: 32768, high: 60999 }; // 28232 ports, Linux's default
const base: LoadLimitsInput = { connections: 5000, clients: 1, openFileLimit: 20000, portRange: LINUX_RANGE };
const check = (o: Partial<LoadLimitsInput>) => checkLoadLimits({ ...base, ...o });

test('the sizes this machine takes pass: 5000 and 10000 at once under ulimit -n 20000 and 28232 ports', () => {
  assert.is(check({}), null);
  assert.is(check({ connections: 10000 }), null);
  assert.is(check({ connections: 20000 - FD_HEADROOM }), null, 'exactly at the limit');
});

test('one connection past the open-file limit: refused, naming the value, the limit and every fix', () => {
  assert.is(
    check({ connections: 20000 - FD_HEADROOM + 1 }),
    '--connections 19937 needs about 20001 open files per process (the load generator holds 19937 connections at once) ' +
      'but the open-file limit is 20000: raise the hard limit (ulimit -Hn 20001 as root, or nofile in /etc/security/limits.conf; macOS: sudo launchctl limit maxfiles 20001 20001), lower --connections to 19936 or split it across processes (--clients 2)',
  );
});

test('--clients splits the connections: each process needs its share, the largest one', () => {
  assert.is(check({ connections: 25000, clients: 2 }), null, '12500 each');
  assert.is(
    check({ connections: 601, clients: 2, openFileLimit: 364 }),
    '--connections 601 needs about 365 open files per process (with --clients 2, each load-generator process holds up to 301 connections at once) ' +
      'but the open-file limit is 364: raise the hard limit (ulimit -Hn 365 as root, or nofile in /etc/security/limits.conf; macOS: sudo launchctl limit maxfiles 365 365), lower --connections to 600 or split it across processes (--clients 3)',
  );
});

test('no --clients suggestion when none up to 256 would do, and no lower count when the headroom alone is over the limit', () => {
  assert.is(
    check({ connections: 5000, openFileLimit: 40 }),
    '--connections 5000 needs about 5064 open files per process (the load generator holds 5000 connections at once) but the open-file limit is 40: raise the hard limit (ulimit -Hn 5064 as root, or nofile in /etc/security/limits.conf; macOS: sudo launchctl limit maxfiles 5064 5064)',
  );
  const msg = check({ connections: 27000, openFileLimit: 100 }) ?? '';
  assert.ok(
    msg.endsWith(
      'raise the hard limit (ulimit -Hn 27064 as root, or nofile in /etc/security/limits.conf; macOS: sudo launchctl limit maxfiles 27064 27064) or lower --connections to 36',
    ),
    msg,
  ); // 27000 / 36 per process > 256 clients
});

test('more connections than the ephemeral port range holds: refused, whatever --clients (its processes share the range)', () => {
  const usable = 28232 - PORT_HEADROOM;
  for (const clients of [1, 2, 8])
    assert.is(
      check({ connections: 30000, clients }),
      '--connections 30000 needs 30000 local ports at once from one source address to one destination but the ephemeral port range ' +
        `32768-60999 has 28232 (about ${usable} usable): lower --connections to ${usable}, spread them over more source addresses ` +
        '(--client-addrs 2, Linux) or widen the range (sysctl net.ipv4.ip_local_port_range); --clients does not help, its processes share the range',
    );
  assert.is(check({ connections: usable, clients: 2 }), null, 'the most the range takes, in two processes');
  assert.ok(check({ connections: usable + 1, clients: 2 })?.startsWith(`--connections ${usable + 1} needs ${usable + 1} local ports`));
});

test('--client-addrs N: each source address has the whole range, so N times the connections fit', () => {
  assert.is(check({ connections: 30000, clients: 2, clientAddrs: 2 }), null, '15000 per address, 15000 per process');
  assert.is(
    check({ connections: 60000, clients: 4, clientAddrs: 2 }),
    '--connections 60000 needs 30000 local ports at once from one of the 2 source addresses (--client-addrs 2) to one destination but the ' +
      'ephemeral port range 32768-60999 has 28232 (about 27976 usable): lower --connections to 55952, spread them over more source addresses ' +
      '(--client-addrs 3, Linux) or widen the range (sysctl net.ipv4.ip_local_port_range); --clients does not help, its processes share the range',
  );
  // Each process numbers its own connections (address = n mod N): 7 over 3 processes (3, 2, 2) and 2 addresses put 2 + 1 + 1 on the first.
  const tiny = { low: 1000, high: 1000 + PORT_HEADROOM + 3 - 1 }; // 3 usable ports
  assert.match(
    check({ connections: 7, clients: 3, clientAddrs: 2, portRange: tiny }) ?? '',
    /^--connections 7 needs 4 local ports at once/,
  );
  assert.is(check({ connections: 6, clients: 3, clientAddrs: 2, portRange: tiny }), null, '2 + 2 + 2: 1 + 1 + 1 = 3 per address');
  assert.match(
    check({ connections: 7, clients: 3, clientAddrs: 2, portRange: tiny }) ?? '',
    /lower --connections to 6, spread them over more source addresses \(--client-addrs 3, Linux\)/,
  );
});

test('the port range is checked first: its fix does not depend on --clients', () => {
  assert.match(check({ connections: 100_000 }) ?? '', /local ports/);
});

test('unknown limits (null) are not checked; the open loop has no fixed concurrency and is not checked', () => {
  assert.is(check({ connections: 100_000, openFileLimit: null, portRange: null }), null);
  assert.is(check({ connections: null }), null);
  assert.match(check({ connections: 100_000, portRange: null }) ?? '', /open files/);
  assert.match(check({ connections: 100_000, openFileLimit: null }) ?? '', /local ports/);
  // What each mode holds at once comes from its LoadDef: connections, except the open loop's rate x latency.
  const at = (load: LoadMode) => {
    const o = resolveOptions({ load, connections: 700, seed: 1 });
    return loadDef(o).connectionsAtOnce(o);
  };
  assert.equal(
    LOAD_MODES.map(at),
    LOAD_MODES.map((m) => (m === 'open' ? null : 700)),
  );
});

test('parsePortRange: two ports, low <= high; anything else is unknown', () => {
  assert.equal(parsePortRange('32768\t60999\n'), { low: 32768, high: 60999 });
  assert.equal(parsePortRange('1024 65535'), { low: 1024, high: 65535 });
  for (const bad of ['', 'x y', '60999\t32768', '0 10', '1 70000', '32768']) assert.is(parsePortRange(bad), null, JSON.stringify(bad));
});

test('readPortRange: the Linux file when there is one; null when missing or elsewhere', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'csb-limits-'));
  try {
    const file = path.join(dir, 'ip_local_port_range');
    writeFileSync(file, '40000\t40999\n');
    assert.equal(readPortRange(file), process.platform === 'linux' ? { low: 40000, high: 40999 } : null);
    assert.is(readPortRange(path.join(dir, 'missing')), null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (process.platform !== 'linux') assert.is(readPortRange(), null);
});

const MAC: BacklogInput = { backlog: 4096, somaxconn: { name: 'kern.ipc.somaxconn', value: 128 }, connections: 1000, platform: 'darwin' };

test("backlogWarning: macOS' default somaxconn 128 under a burst of 1000 with --backlog 4096: the cap, the cost and the fix", () => {
  assert.is(
    backlogWarning(MAC),
    'the kernel caps the listen backlog at kern.ipc.somaxconn 128, not --backlog 4096: 1000 connections at once can overflow ' +
      'the accept queue and drop SYNs (retried after about 1 s, seen in p99); raise it: sudo sysctl -w kern.ipc.somaxconn=4096',
  );
});

test('backlogWarning on Linux names net.core.somaxconn and its sysctl', () => {
  const w = backlogWarning({ ...MAC, somaxconn: { name: 'net.core.somaxconn', value: 128 }, platform: 'linux' });
  assert.ok(w?.startsWith('the kernel caps the listen backlog at net.core.somaxconn 128, not --backlog 4096'), w ?? 'null');
  assert.ok(w?.endsWith('raise it: sudo sysctl -w net.core.somaxconn=4096'), w ?? 'null');
});

test('backlogWarning: nothing to say when the cap does not bite', () => {
  assert.is(backlogWarning({ ...MAC, somaxconn: { name: 'kern.ipc.somaxconn', value: 4096 } }), null, 'somaxconn = backlog');
  assert.is(backlogWarning({ ...MAC, backlog: 100 }), null, 'a backlog under the cap');
  assert.is(backlogWarning({ ...MAC, connections: 128 }), null, 'a burst that fits the capped queue');
  assert.is(backlogWarning({ ...MAC, somaxconn: null }), null, 'unknown (Windows, unreadable)');
});

test('backlogWarning with no bound on connections (the open loop, serve): the cap alone decides', () => {
  assert.match(backlogWarning({ ...MAC, connections: null }) ?? '', /^the kernel caps .*: more connections at once than that can overflow/);
  assert.is(backlogWarning({ ...MAC, connections: null, backlog: 128 }), null);
});

test('parseSomaxconn: one whole number, else null', () => {
  assert.is(parseSomaxconn('128\n'), 128);
  assert.is(parseSomaxconn(' 4096 '), 4096);
  for (const bad of ['', 'kern.ipc.somaxconn: 128', '12 8', '-1', 'unknown oid']) assert.is(parseSomaxconn(bad), null, bad);
});

test('readSomaxconn: the setting by platform (its reader injected), null on Windows or when the read fails', () => {
  assert.equal(
    readSomaxconn('darwin', () => '128\n'),
    { name: 'kern.ipc.somaxconn', value: 128 },
  );
  assert.equal(
    readSomaxconn('linux', () => '4096\n'),
    { name: 'net.core.somaxconn', value: 4096 },
  );
  const timedOut = (): string => {
    throw Object.assign(new Error('spawnSync sysctl ETIMEDOUT'), { code: 'ETIMEDOUT' });
  };
  assert.is(readSomaxconn('darwin', timedOut), null);
  assert.is(
    readSomaxconn('darwin', () => 'garbage'),
    null,
  );
  assert.is(
    readSomaxconn('win32', () => '200'),
    null,
    'no such setting on Windows',
  );
});

if (process.platform === 'linux')
  test('readSomaxconn on Linux reads /proc/sys/net/core/somaxconn', () => {
    const s = readSomaxconn();
    assert.ok(s !== null && s.name === 'net.core.somaxconn' && s.value > 0, JSON.stringify(s));
  });

test.run();
