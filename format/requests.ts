// requests.csv: one row per request as the client saw it, beside result.json. Part of the result
// format (the raw rows); reports link to it and never load it.

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
}

/** The raw rows of one strategy. */
export interface StrategyRows {
  strategy: string;
  /** Repetition (1-based), as the strategy's entry in result.json. */
  rep: number;
  records: readonly RequestRecord[];
}

export const REQUESTS_HEADER = 'strategy,round,pid,status,latency_us,error,at_ms,rep';

export function requestsCsv(rows: readonly StrategyRows[]): string {
  const lines = [REQUESTS_HEADER];
  for (const { strategy, rep, records } of rows)
    for (const r of records) lines.push(`${strategy},${r.round},${r.pid},${r.status},${r.latencyUs},${r.error ?? ''},${r.atMs},${rep}`);
  return `${lines.join('\n')}\n`;
}
