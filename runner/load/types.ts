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
}

export interface Target {
  host: string;
  port: number;
}
