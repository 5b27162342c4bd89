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

/** What one round (burst) or one timed load (sustained, churn, open) produced. */
export interface LoadRound {
  /** Requests the client started (written to a socket or attempted). */
  sent: number;
  records: RequestRecord[];
}

/** Shared by every generator of a strategy's load. */
export interface LoadClock {
  /** performance.now() at the start of the strategy's load. */
  origin: number;
}

export interface Target {
  host: string;
  port: number;
}
