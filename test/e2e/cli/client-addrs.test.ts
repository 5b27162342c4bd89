// --client-addrs N: the load comes from N loopback source addresses; the result says where each
// address's connections went, and sticky keeps every address on one worker (Linux: 127.0.0.0/8).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RunResult } from '../../../format/schema.js';
import { runCli } from '../../helpers/cli.js';
import { skipIf } from '../../helpers/skip.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-addrs-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

skipIf(process.platform === 'linux' ? null : '--client-addrs needs Linux (127.0.0.0/8 on the loopback interface)')(
  '--policy sticky,rr --client-addrs 8: per-address placement; sticky puts each address on one worker, rr spreads it',
  async () => {
    const r = await runCli([
      '--policy',
      'sticky,rr',
      '--client-addrs',
      '8',
      '--workers',
      '3',
      '--connections',
      '80',
      '--rounds',
      '3',
      '--server',
      'http',
      '--no-report',
      '--json',
      '--out',
      out,
    ]);
    assert.is(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as RunResult;
    assert.is(result.options.clientAddrs, 8);
    const [sticky, rr] = result.strategies as MeasuredStrategy[];
    for (const s of [sticky, rr]) {
      assert.ok(s.totals.accounted, s.problems.join('; '));
      assert.equal(
        s.placement?.map((p) => p.address),
        Array.from({ length: 8 }, (_, i) => `127.0.0.${i + 1}`),
      );
      // 240 connections, i mod 8: 30 from each address, all of them in the placement.
      for (const p of s.placement ?? [])
        assert.is(
          Object.values(p.counts).reduce((a, n) => a + n, 0),
          30,
          p.address,
        );
    }
    for (const p of sticky.placement ?? [])
      assert.is(Object.keys(p.counts).length, 1, `${p.address} on one worker: ${JSON.stringify(p.counts)}`);
    assert.ok(
      (rr.placement ?? []).some((p) => Object.keys(p.counts).length > 1),
      'rr spreads an address over several workers',
    );
  },
);

test.run();
