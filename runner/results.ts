// The result file format: one versioned JSON document per run, shared by `--json` and
// `results/<run-id>/result.json`. Reports read only this (see README "Result format").

export const SCHEMA_VERSION = 1;

export type StrategyKind = 'native' | 'dispatch' | 'kernel';
export type LoadMode = 'burst' | 'sustained' | 'churn' | 'open';

/** Where and on what the run happened. */
export interface EnvInfo {
  platform: string;
  release: string;
  arch: string;
  cpuModel: string;
  cores: number;
  node: string;
  hostname: string;
  /** `NODE_CLUSTER_SCHED_POLICY` if set in the runner's environment, else null. */
  schedPolicyEnv: string | null;
  /** The open-file limit the runner saw (null where the platform has none we can read). */
  openFileLimit: number | null;
  gitCommit: string | null;
  /** Optional label for comparing runs (platform, Node version, machine): `--label`. */
  label: string | null;
}

/** Every option the run used, after defaults were applied. */
export interface RunOptions {
  policies: string[];
  workers: number;
  connections: number;
  rounds: number;
  load: LoadMode;
  server: string;
  host: string;
  port: number;
  seed: number;
  backlog: number;
  roundTimeoutMs: number;
  /** Seconds, for time-based loads (sustained, churn, open). */
  duration?: number;
  /** Requests per second, for the open-loop load. */
  rate?: number;
  /** Work profile of the worker app (`hello`, `cpu:MS`, ...). */
  work?: string;
  out: string;
}

export interface WorkerRef {
  /** cluster worker id (1-based). */
  id: number;
  pid: number;
}

export interface Totals {
  /** Requests the client sent. */
  sent: number;
  /** Responses with a 2xx status and a worker pid. */
  ok: number;
  /** Requests that failed on the client (network error, timeout, bad status, no pid). */
  errors: number;
  /** Sum over rounds and workers of |client-seen - server-seen|. */
  mismatches: number;
  /** sent == ok + errors, and client-seen == server-seen for every worker in every round. */
  accounted: boolean;
}

export interface LatencySummary {
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

export interface PerWorker {
  id: number;
  pid: number;
  /** Responses the client saw from this worker (x-worker-pid). */
  client: number;
  /** Requests the worker itself counted. */
  server: number;
  /** Connections the worker itself counted. */
  connections: number;
  /** client / total client responses. */
  share: number;
  /** Client latency of this worker's responses, ms. */
  latencyMs: LatencySummary;
}

export interface RoundResult {
  /** 1-based. */
  index: number;
  /** Client-seen responses per worker pid (every worker present, zeros included). */
  counts: Record<string, number>;
  /** Server-seen requests per worker pid, for the same round. */
  server: Record<string, number>;
  /** Server-seen connections per worker pid. */
  connections: Record<string, number>;
  sent: number;
  ok: number;
  errors: number;
  mismatches: number;
  /** Largest client share of one worker in this round. */
  topShare: number;
  wallMs: number;
}

export interface Metrics {
  /** Jain's fairness index over per-worker client counts: 1 even, 1/n all on one. */
  jain: number;
  /** Coefficient of variation (population sd / mean) of per-worker counts. */
  cv: number;
  /** max/min of per-worker counts; null when some worker got nothing (infinite). */
  maxMin: number | null;
  /** Largest share of one worker. */
  topShare: number;
  /** 95th percentile over rounds of the per-round top share. */
  roundSkew: number;
}

export interface CpuMs {
  primary: number;
  workers: number;
  /** The load generator (the runner process) during the load. */
  loadGen?: number;
  /** Primary CPU ms per 10,000 connections the workers took (null when none). */
  primaryPer10kConn?: number | null;
}

/** One point of a per-second, per-worker throughput series (time-based loads). */
export interface SeriesPoint {
  second: number;
  pid: number;
  count: number;
}

export interface StrategyResult {
  name: string;
  kind: StrategyKind;
  description: string;
  workers: WorkerRef[];
  totals: Totals;
  perWorker: PerWorker[];
  rounds: RoundResult[];
  metrics: Metrics;
  latencyMs: LatencySummary;
  /** Percentile curve for charts: [{ p: 50, ms }, ... { p: 99.9, ms }]. */
  latencyCurve: Array<{ p: number; ms: number }>;
  /** Completed (ok) responses per second of load wall time. */
  rps: number;
  /** Wall time of the load (all rounds), ms. */
  wallMs: number;
  cpuMs: CpuMs;
  /** Client errors by code (ECONNRESET, ETIMEDOUT, HTTP_503, NO_PID, ...). */
  errorsByCode: Record<string, number>;
  /** Every reconciliation problem, one sentence each; empty when accounted. */
  problems: string[];
  /** Things that make the numbers less trustworthy without breaking accounting (e.g. the load
   *  generator saturating a core: then it, not the cluster, is what was measured). */
  warnings?: string[];
  /** Listen queue drops seen by the kernel during the load (Linux only, else absent). */
  kernel?: { listenOverflows: number; listenDrops: number };
  series?: SeriesPoint[];
  /** Userland dispatch only: connections handed out, refused by a worker (re-dispatched), dropped. */
  dispatch?: { dispatched: number; refused: number; dropped: number };
  /** Set when the strategy was not run on this platform / Node version. */
  skipped?: string;
}

export interface RunResult {
  schemaVersion: typeof SCHEMA_VERSION;
  tool: { name: string; version: string };
  runId: string;
  startedAt: string;
  finishedAt: string;
  wallMs: number;
  env: EnvInfo;
  options: RunOptions;
  strategies: StrategyResult[];
  /** Every strategy accounted, none failed. */
  ok: boolean;
}
