// A rename that survives Windows' file scanners: an antivirus or the search indexer opening a file
// just written holds it for a moment, and a rename then fails with EPERM, EBUSY or EACCES. Retried
// with a short, growing backoff within a bound (graceful-fs does the same for fs.rename on win32,
// 10 ms steps up to 100 ms), then the last error is thrown. Elsewhere those codes mean a real
// permission problem: thrown at once.
import { renameSync } from 'node:fs';

/** Codes a Windows rename gives while another process holds the file. */
const TRANSIENT = new Set(['EPERM', 'EBUSY', 'EACCES']);

export interface RenameRetry {
  /** Default: process.platform; only win32 retries. */
  platform?: NodeJS.Platform;
  /** Default: fs.renameSync. */
  rename?: (from: string, to: string) => void;
  /** Waits `ms` milliseconds, synchronously (default: Atomics.wait). */
  sleep?: (ms: number) => void;
  /** The most time spent waiting between attempts, ms (default: 2000). */
  budgetMs?: number;
}

const sleepSync = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/** renameSync(from, to), retried on win32 while the error is one a scanner holding the file gives. */
export function renameRetrying(from: string, to: string, o: RenameRetry = {}): void {
  const { platform = process.platform, rename = renameSync, sleep = sleepSync, budgetMs = 2000 } = o;
  let waited = 0;
  let step = 10;
  for (;;) {
    try {
      rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? '';
      if (platform !== 'win32' || !TRANSIENT.has(code) || waited >= budgetMs) throw err;
      const ms = Math.min(step, budgetMs - waited);
      sleep(ms);
      waited += ms;
      step = Math.min(step + 10, 100);
    }
  }
}
