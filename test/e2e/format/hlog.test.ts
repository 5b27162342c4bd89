// A run writes latency.hlog beside result.json: read back by hdr-histogram-js's log reader, each
// strategy's interval holds exactly its ok responses, and its workers' intervals add up to it.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HistogramLogReader } from 'hdr-histogram-js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HLOG_FILE } from '../../../format/hlog.js';
import { measured, type RunResult } from '../../../format/schema.js';
import { runCli } from '../../helpers/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'csb-hlog-'));
test.after(() => rmSync(tmp, { recursive: true, force: true }));

test('latency.hlog: one interval per strategy, one per worker; counts equal the result', async () => {
  const r = await runCli([
    '--policy',
    'rr,lc',
    '--workers',
    '2',
    '--connections',
    '40',
    '--rounds',
    '2',
    '--server',
    'http',
    '--no-report',
    '--out',
    tmp,
  ]);
  assert.is(r.code, 0, r.stderr);
  const [id] = readdirSync(tmp);
  const result = JSON.parse(readFileSync(path.join(tmp, id, 'result.json'), 'utf8')) as RunResult;
  const reader = new HistogramLogReader(readFileSync(path.join(tmp, id, HLOG_FILE), 'utf8'));
  const counts = new Map<string, number>();
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) counts.set(h.tag, h.totalCount);
  for (const s of measured(result.strategies)) {
    assert.is(counts.get(s.name), s.totals.ok, s.name);
    const workers = s.perWorker.reduce((a, w) => a + (counts.get(`${s.name}/${w.pid}`) ?? 0), 0);
    assert.is(workers, s.totals.ok, `${s.name}: the workers' intervals`);
  }
});

test.run();
