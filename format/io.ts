// Result files on disk: written atomically (temp file + rename) so a reader never sees half a
// file; read back only through validation. The run folder is DIR/<run-id>/ with result.json and
// requests.csv; reports add their files beside them.

import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from './errors.js';
import { HLOG_FILE } from './hlog.js';
import { renameRetrying } from './rename.js';
import { REQUESTS_FILE, type RowsWriter } from './requests.js';
import type { RunResult } from './schema.js';
import { validateResult } from './validate.js';

export const RESULT_FILE = 'result.json';

/** Write `file` through a temp file and a rename (retried while a Windows scanner holds the new file: rename.ts). */
export function writeAtomic(file: string, data: string): void {
  const tmp = `${file}.${process.pid}.${randomBytes(3).toString('hex')}.tmp`;
  try {
    writeFileSync(tmp, data);
    renameRetrying(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Can we create `dir` (or write into it)? Checked before anything is written, so a bad
 * destination writes nothing. `what` names it in the message (default: the runner's --out).
 */
export function checkWritable(dir: string, what?: string): void {
  let probe = path.resolve(dir);
  while (!existsSync(probe)) {
    const parent = path.dirname(probe);
    if (parent === probe) break;
    probe = parent;
  }
  if (!statSync(probe).isDirectory()) throw new UsageError(msg.out(dir, `${probe} is not a directory`, what));
  try {
    accessSync(probe, constants.W_OK);
  } catch {
    throw new UsageError(msg.out(dir, `${probe} is not writable`, what));
  }
}

/** A sortable, filesystem-safe id: 20261122-031500-a1b2. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/** Move the streamed rows (requests.csv) into DIR/<run-id>/ and write result.json there, recording which rows it holds; returns the folder. */
export function writeRun(result: RunResult, rows: RowsWriter, hlog: string | null = null): string {
  const dir = path.join(result.options.out, result.runId);
  mkdirSync(dir, { recursive: true });
  result.raw = rows.commit(dir);
  // Every strategy's latency histograms as an HdrHistogram interval log (format/hlog.ts).
  if (hlog !== null) writeAtomic(path.join(dir, HLOG_FILE), hlog);
  writeAtomic(path.join(dir, RESULT_FILE), `${JSON.stringify(result, null, 2)}\n`);
  return dir;
}

/** Read and validate one result file; any problem is a UsageError naming the file. */
export function readResult(file: string): RunResult {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new UsageError(msg.resultFile(file, e.code ? `cannot read it (${e.code})` : `not valid JSON (${e.message.split('\n')[0]})`));
  }
  return validateResult(doc, file);
}

export interface LoadedRun {
  /** The folder as given. */
  dir: string;
  result: RunResult;
  /** requests.csv exists beside result.json (linked from reports, never embedded). */
  hasRequests: boolean;
}

/** How far below a folder of runs `runFoldersUnder` looks (CI's merged results/<cell>/<run-id> is 2). */
const RUN_SEARCH_DEPTH = 4;

/**
 * The run folders at or below `dir`: `dir` itself when it holds result.json, else every folder
 * below it that does, down to RUN_SEARCH_DEPTH levels (never inside a run folder), in the order
 * of their result files' paths. Empty when there is none. `compare` and `report` both take
 * folders of runs this way.
 */
export function runFoldersUnder(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number): void => {
    if (existsSync(path.join(d, RESULT_FILE))) found.push(path.join(d, RESULT_FILE));
    else if (depth < RUN_SEARCH_DEPTH)
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(d, e.name), depth + 1);
  };
  walk(dir, 0);
  return found.sort().map((f) => path.dirname(f));
}

/** Read and validate `dir/result.json`. Reads only; throws a UsageError on any problem. */
export function loadRun(dir: string): LoadedRun {
  if (!existsSync(dir)) throw new UsageError(msg.runFolder(dir, 'no such folder'));
  if (!statSync(dir).isDirectory()) throw new UsageError(msg.runFolder(dir, 'not a folder (give a results/<run-id> folder)'));
  const file = path.join(dir, RESULT_FILE);
  if (!existsSync(file)) throw new UsageError(msg.runFolder(dir, `no ${RESULT_FILE} in it`));
  return { dir, result: readResult(file), hasRequests: existsSync(path.join(dir, REQUESTS_FILE)) };
}
