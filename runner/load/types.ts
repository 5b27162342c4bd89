import type { RequestRecord } from '../../format/requests.js';

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
