// --node 22 / --baseline-node 22: a Node version instead of a binary's path (what cmd.exe needs: it
// has no "$(...)"), installed or found in the cache exactly as `npm run node:get -- 22` does, the
// run recording that binary. Decided before registering: no Node 22 to be had is a skip with the
// reason, not a pass.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MeasuredStrategy, RunResult } from '../../../format/schema.js';
import { nodeGet } from '../../../scripts/commands/node-get.js';
import { runCommand } from '../../../scripts/lib/command.js';
import { leftAlive, runCli } from '../../helpers/cli.js';
import { sink } from '../../helpers/property.js';
import { skipIf } from '../../helpers/skip.js';

const out = mkdtempSync(path.join(os.tmpdir(), 'csb-node-version-'));
test.after(() => rmSync(out, { recursive: true, force: true }));

/** What `npm run node:get -- 22` prints: the binary's path; null (and why) when there is none to be had. */
async function nodeGet22(): Promise<{ path: string | null; why: string }> {
  const o = sink();
  const e = sink();
  const code = await runCommand(nodeGet, ['22'], { out: o.stream, err: e.stream, signals: false });
  return code === 0 ? { path: o.text().trim(), why: '' } : { path: null, why: e.text().trim().split('\n').pop() ?? `exit ${code}` };
}

const node22 = await nodeGet22();

skipIf(node22.path === null ? `no Node 22 from the cache or the npm registry: ${node22.why}` : null)(
  '--node 22 --baseline-node 22: both sides on the binary node:get gives, recorded as such, every request accounted',
  async () => {
    const r = await runCli([
      '--node',
      '22',
      '--baseline-node',
      '22',
      '--policy',
      'rr',
      '--runs',
      '1',
      '--warmup',
      '0',
      '--workers',
      '2',
      '--connections',
      '20',
      '--rounds',
      '1',
      '--server',
      'http',
      '--no-report',
      '--json',
      '--out',
      out,
    ]);
    assert.is(r.code, 0, r.stderr);
    const result = JSON.parse(r.stdout) as RunResult;
    assert.is(result.options.node, node22.path, 'the binary node:get prints, recorded');
    assert.is(result.options.baseline?.node, node22.path);
    assert.match(result.env.clusterNode ?? '', /^v22\./);
    assert.match(result.env.baseline?.clusterNode ?? '', /^v22\./);
    assert.match(r.stderr, new RegExp(`^ {2}--node 22: v22\\.\\d+\\.\\d+ at ${node22.path?.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
    assert.equal(
      result.strategies.map((s) => `${s.name}@${'variant' in s ? s.variant : '-'}`),
      ['rr@baseline', 'rr@current'],
    );
    assert.ok((result.strategies as MeasuredStrategy[]).every((s) => s.totals.accounted && s.totals.errors === 0));
    assert.equal(await leftAlive(r.descendants), []);
  },
);

test('--node v22 is neither a version nor a file: exit 2, one line that says both forms', async () => {
  const r = await runCli(['--node', 'v22', '--out', path.join(out, 'never')], { timeoutMs: 20_000 });
  assert.is(r.code, 2, r.stderr);
  assert.is(
    r.stderr,
    "error: invalid --node 'v22': no such file (give a Node version such as 22 or 22.12.0, or the path of a Node.js binary)\n",
  );
});

test.run();
