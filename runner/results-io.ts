// Result files: written atomically (temp file + rename) so a reader never sees half a file.
import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RequestRecord } from './load/types.js';
import type { RunResult } from './results.js';

export const RESULT_FILE = 'result.json';
export const REQUESTS_FILE = 'requests.csv';

export function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** A sortable, filesystem-safe id: 20261122-031500-a1b2. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export const REQUESTS_HEADER = 'strategy,round,pid,status,latency_us,error,at_ms';

export function requestsCsv(rows: Array<{ strategy: string; records: RequestRecord[] }>): string {
  const lines = [REQUESTS_HEADER];
  for (const { strategy, records } of rows)
    for (const r of records) lines.push(`${strategy},${r.round},${r.pid},${r.status},${r.latencyUs},${r.error ?? ''},${r.atMs}`);
  return `${lines.join('\n')}\n`;
}

/** Write result.json and requests.csv into DIR/<run-id>/; returns the folder. */
export function writeRun(result: RunResult, rows: Array<{ strategy: string; records: RequestRecord[] }>): string {
  const dir = path.join(result.options.out, result.runId);
  mkdirSync(dir, { recursive: true });
  writeAtomic(path.join(dir, REQUESTS_FILE), requestsCsv(rows));
  writeAtomic(path.join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
  return dir;
}
