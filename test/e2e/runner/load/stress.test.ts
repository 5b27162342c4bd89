// Past the open-file limit, a burst still accounts for every request: the OS's EMFILE comes back as
// a record with that code, never as an exception. A child process with `ulimit -n 256` (and a
// plain node:http server of its own, whose accepted sockets use descriptors too) fires one round of
// 600 fresh connections (test/fixtures/burst-child.ts) and prints what it counted.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { skipIf } from '../../../helpers/skip.js';

const CHILD = fileURLToPath(new URL('../../../fixtures/burst-child.js', import.meta.url));
const FD_LIMIT = 256;
const CONNECTIONS = 600;

interface ChildReport {
  connections: number;
  sent: number;
  records: number;
  byCode: Record<string, number>;
  serverErrors: string[];
  unhandled: string[];
}

skipIf(process.platform === 'win32' ? 'Windows has no ulimit -n, and no per-process limit on sockets' : null)(
  `${CONNECTIONS} connections under ulimit -n ${FD_LIMIT}: every request a record, EMFILE by name, nothing thrown`,
  () => {
    const r = spawnSync('sh', ['-c', `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`, process.execPath, CHILD], {
      encoding: 'utf8',
      env: { ...process.env, CSB_CONNECTIONS: String(CONNECTIONS) },
      timeout: 20_000,
    });
    assert.is(r.error, undefined, `spawned and ended in time: ${r.error?.message}`);
    assert.is(r.status, 0, `exit 0 (stderr: ${r.stderr})`);
    assert.is(r.stderr, '', 'nothing on stderr: no warning, no stack');
    const out = JSON.parse(r.stdout.trim()) as ChildReport;
    assert.is(out.sent, CONNECTIONS);
    assert.is(out.records, CONNECTIONS, 'every request accounted');
    assert.is(
      Object.values(out.byCode).reduce((a, n) => a + n, 0),
      CONNECTIONS,
    );
    assert.ok((out.byCode.EMFILE ?? 0) > 0, `EMFILE counted by name: ${JSON.stringify(out.byCode)}`);
    for (const code of Object.keys(out.byCode)) assert.match(code, /^(ok|E[A-Z]+)$/, `an OS error code, not a generic name: ${code}`);
    assert.equal(out.unhandled, [], 'no uncaught exception, no unhandled rejection');
  },
);

test.run();
