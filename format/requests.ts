// requests.csv: one row per request as the client saw it, beside result.json. Part of the result
// format (the raw rows); reports link to it and never load it.
import { randomBytes } from 'node:crypto';
import { closeSync, copyFileSync, openSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { msg, UsageError } from './errors.js';
import { renameRetrying } from './rename.js';

export const REQUESTS_FILE = 'requests.csv';

/** One request as the client saw it. */
export interface RequestRecord {
  /** 1-based round (time-based loads: 1). */
  round: number;
  /** Worker pid from x-worker-pid; 0 when the response had none or there was no response. */
  pid: number;
  /** HTTP status; 0 when there was no response. */
  status: number;
  /** Client latency in microseconds (to the end of the response, or to the error). */
  latencyUs: number;
  /** Error code (ECONNRESET, ROUND_DEADLINE, HTTP_503, NO_PID, ...); null when ok. */
  error: string | null;
  /** When it finished, ms since the start of the strategy's load (per-second series). */
  atMs: number;
  /** --client-addrs: which of the client's source addresses it came from (index); absent: one address. */
  src?: number;
}

export const REQUESTS_HEADER = 'strategy,round,pid,status,latency_us,error,at_ms,rep';

/** `--raw`: every row, a sample of them (each kept with probability P), or none. */
export type RawMode = { mode: 'all' } | { mode: 'none' } | { mode: 'sample'; p: number };
export const RAW_FORMS = 'all, sample:P (0 < P <= 1), none';

/** Parse `--raw`; a UsageError naming the bad value and the valid forms. */
export function parseRaw(text: string): RawMode {
  if (text === 'all' || text === 'none') return { mode: text };
  const m = /^sample:(\d*\.?\d+)$/.exec(text);
  const p = m ? Number(m[1]) : NaN;
  if (!(p > 0 && p <= 1)) throw new UsageError(msg.raw(text, RAW_FORMS));
  return { mode: 'sample', p };
}

export const rawText = (r: RawMode): string => (r.mode === 'sample' ? `sample:${r.p}` : r.mode);

/** What the raw rows file holds (recorded in the result). */
export interface RawInfo {
  mode: string;
  /** Rows written (sent requests with `all`). */
  rows: number;
  /** The file beside result.json; absent with `none`. */
  file?: string;
}

const CHUNK = 64 * 1024;

/**
 * requests.csv, streamed while the run goes: rows are buffered in 64 KB chunks and written to a
 * temp file, which `commit` moves into the run folder (a reader never sees half a file, and an
 * interrupted run leaves none). Memory stays flat whatever the run length.
 */
export class RowsWriter {
  rows = 0;
  private readonly tmp: string;
  private fd: number | null = null;
  /** Rows are encoded straight into one reused buffer (no per-chunk strings to collect). */
  private readonly chunk = Buffer.allocUnsafe(CHUNK);
  private used = 0;

  constructor(
    readonly raw: RawMode,
    private readonly rng: () => number,
    tmpDir = os.tmpdir(),
  ) {
    this.tmp = path.join(tmpDir, `csb-requests-${process.pid}-${randomBytes(4).toString('hex')}.csv.tmp`);
    if (raw.mode !== 'none') {
      this.fd = openSync(this.tmp, 'w');
      this.push(`${REQUESTS_HEADER}\n`);
      // Ctrl-C ends the process from a signal handler: the temp file goes with it.
      process.once('exit', this.onExit);
    }
  }

  private readonly onExit = (): void => this.abort();

  /** The sink for one strategy's repetition: each record becomes a row (or, sampled, may not). */
  sink(strategy: string, rep: number): ((r: RequestRecord) => void) | undefined {
    if (this.fd === null) return undefined;
    const p = this.raw.mode === 'sample' ? this.raw.p : 1;
    return (r) => {
      if (p < 1 && this.rng() >= p) return;
      this.rows++;
      this.push(`${strategy},${r.round},${r.pid},${r.status},${r.latencyUs},${r.error ?? ''},${r.atMs},${rep}\n`);
    };
  }

  /** Flush, close and move the rows into `dir` (rename, retried as rename.ts says; a copy across file systems). */
  commit(dir: string): RawInfo {
    const info: RawInfo = { mode: rawText(this.raw), rows: this.rows };
    if (this.fd === null) return info;
    this.flush();
    closeSync(this.fd);
    this.fd = null;
    process.off('exit', this.onExit);
    const file = path.join(dir, REQUESTS_FILE);
    try {
      renameRetrying(this.tmp, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      copyFileSync(this.tmp, `${file}.tmp`);
      renameRetrying(`${file}.tmp`, file);
      rmSync(this.tmp, { force: true });
    }
    return { ...info, file: REQUESTS_FILE };
  }

  /** Drop the rows (interrupted or failed run): nothing is left behind. */
  abort(): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    process.off('exit', this.onExit);
    rmSync(this.tmp, { force: true });
  }

  private push(line: string): void {
    if (this.used + Buffer.byteLength(line) > CHUNK) this.flush();
    this.used += this.chunk.write(line, this.used);
  }

  private flush(): void {
    if (this.fd !== null && this.used > 0) writeSync(this.fd, this.chunk, 0, this.used);
    this.used = 0;
  }
}
