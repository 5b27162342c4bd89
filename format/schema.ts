// The result file format, written once: one versioned JSON document per run (`result.json`, and
// `--json` on stdout). The TypeScript types below are derived from these TypeBox schemas, and
// `npm run schema` writes the same schemas as docs/result.schema.json: one source, no drift.
// Every reader (reports, later compare and merge) goes through `validate.ts`.
//
// Compatibility: fields are only added, never renamed, within a schemaVersion; unknown fields are
// allowed (a newer writer may add some). A change that breaks readers bumps SCHEMA_VERSION and adds
// a step to MIGRATIONS in validate.ts.
import Type, { type Static } from 'typebox';
import { LoadOptionsSchema } from './loads.js';

export const SCHEMA_VERSION = 1;

/** Annotation on a union: the property whose presence says which variant a value is. */
export const VARIANT_BY_PRESENCE = 'x-variant-by-presence';

const Int = (description?: string) => Type.Integer({ minimum: 0, ...(description && { description }) });
const Num = (description?: string) => Type.Number(description ? { description } : {});
const Str = (description?: string) => Type.String(description ? { description } : {});
const Nullable = <T extends Type.TSchema>(t: T, description?: string) => Type.Union([t, Type.Null()], description ? { description } : {});
const Counts = (description: string) => Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description });

export const STRATEGY_KINDS = ['native', 'dispatch', 'kernel', 'target', 'user', 'proxy', 'handle'] as const;

/** The literals of a list of names, as a tuple type (map() alone gives an array, whose Static is never). */
type TLiterals<T extends readonly string[]> = T extends readonly [infer H extends string, ...infer R extends readonly string[]]
  ? [Type.TLiteral<H>, ...TLiterals<R>]
  : [];

/** Written once, in STRATEGY_KINDS: a new kind is one more name there (same JSON as one literal each). */
export const StrategyKindSchema = Type.Union(STRATEGY_KINDS.map((k) => Type.Literal(k)) as TLiterals<typeof STRATEGY_KINDS>);
export type StrategyKind = (typeof STRATEGY_KINDS)[number];

export const EnvInfoSchema = Type.Object(
  {
    platform: Str('process.platform of the runner'),
    release: Str(),
    arch: Str(),
    cpuModel: Str(),
    cores: Int('os.availableParallelism()'),
    node: Str('Node version of the runner (process.version)'),
    clusterNode: Type.Optional(Str('Node version of the primaries and workers: the one that served (absent: same as node)')),
    hostname: Str(),
    schedPolicyEnv: Nullable(Str(), 'NODE_CLUSTER_SCHED_POLICY in the runner environment, else null'),
    openFileLimit: Nullable(Type.Integer(), 'soft open-file limit the runner saw; null where unreadable'),
    gitCommit: Nullable(Str()),
    label: Nullable(Str(), '--label: names the run in reports (platform, Node version, machine)'),
    baseline: Type.Optional(
      Type.Object(
        {
          clusterNode: Str('Node version of the baseline side (--baseline-node; else the same as clusterNode)'),
          gitCommit: Nullable(Str('commit of the baseline checkout (--baseline-checkout; else the same as gitCommit)')),
          toolVersion: Type.Optional(Str("the baseline checkout's package.json version")),
        },
        { description: 'an A/B run (--baseline-*): what the baseline side ran on' },
      ),
    ),
    unmeasured: Type.Optional(
      Type.Record(Type.String(), Type.String(), {
        description: 'measures this platform cannot take, with the reason (listenOverflows off Linux and macOS)',
      }),
    ),
  },
  { description: 'Where and on what the run happened.' },
);
export type EnvInfo = Static<typeof EnvInfoSchema>;

/** Options every load mode has, after defaults were applied. */
export const CommonOptionsSchema = Type.Object({
  policies: Type.Array(Str(), { description: 'strategies in the order they ran' }),
  workers: Type.Integer({ minimum: 1 }),
  server: Str('worker app (fastify, http)'),
  work: Str('per-request work profile (hello, cpu:MS, io:MS, mixed:P:MS)'),
  host: Str(),
  port: Type.Integer({ minimum: 0, maximum: 65535 }),
  backlog: Type.Integer({ minimum: 1 }),
  seed: Int('seed of random picks and mixed work'),
  roundTimeoutMs: Int('deadline per burst round, or drain time after a timed load'),
  out: Str('results folder the run was written under'),
  runs: Type.Optional(Type.Integer({ minimum: 1, description: 'repetitions of each strategy, interleaved (absent: 1)' })),
  clients: Type.Optional(Type.Integer({ minimum: 1, description: 'load-generator processes (absent: 1, the runner itself)' })),
  node: Type.Optional(Str("--node: the Node binary of the primaries and workers (absent: the runner's own)")),
  target: Type.Optional(Str('--target: the URL of a server already running (no cluster started; its placement is measured)')),
  targetStats: Type.Optional(Str("--target-stats: that server's GET /stats (npm run serve -- --stats), to reconcile against")),
  clientAddrs: Type.Optional(
    Type.Integer({ minimum: 1, description: '--client-addrs: connections spread over this many loopback source addresses (127.0.0.1 ..)' }),
  ),
  strategyFile: Type.Optional(Str('--strategy-file: an ES module exporting a strategy of the user (run after the built-ins named)')),
  app: Type.Optional(
    Type.Object(
      { file: Str('the module, as an absolute path'), sha256: Str('SHA-256 of its bytes, hex') },
      { description: "--app: the user's own service, the worker app instead of --server and --work (docs/apps.md)" },
    ),
  ),
  fault: Type.Optional(Str('--fault: the worker fault injected (kill-worker:R, hang-worker:R, slow-worker:MS, exit-worker:R)')),
  respawn: Type.Optional(
    Type.Boolean({ description: '--respawn: a worker that dies is replaced (absent: the cluster carries on with fewer)' }),
  ),
  warmup: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: '--warmup: repetitions of every strategy (and side) run first and not counted (see warmups; absent: 0)',
    }),
  ),
  baseline: Type.Optional(
    Type.Object(
      {
        node: Type.Optional(Str('--baseline-node: the Node binary of the baseline side')),
        strategyFile: Type.Optional(Str('--baseline-strategy-file: the user strategy of the baseline side')),
        checkout: Type.Optional(Str('--baseline-checkout: the checkout whose cluster code (dist/) the baseline side runs')),
      },
      {
        description:
          'an A/B run: a baseline side and the current side, every repetition of each strategy run on both, in ABBA order; strategies carry `variant`',
      },
    ),
  ),
});
export type CommonOptions = Static<typeof CommonOptionsSchema>;

export const RunOptionsSchema = Type.Intersect([CommonOptionsSchema, LoadOptionsSchema], {
  description: 'Every option the run used, after defaults were applied.',
});
/** The options as a result file holds them (strategy and server names as plain strings). */
export type RecordedOptions = Static<typeof RunOptionsSchema>;

export const WorkerRefSchema = Type.Object({ id: Int('cluster worker id (1-based)'), pid: Int() });
export type WorkerRef = Static<typeof WorkerRefSchema>;

export const TotalsSchema = Type.Object({
  sent: Int('requests the client sent'),
  ok: Int('responses with a 2xx status and a worker pid'),
  errors: Int('requests that failed on the client (network error, deadline, bad status, no pid)'),
  mismatches: Int('sum over rounds and workers of |client-seen - server-seen|'),
  explained: Type.Optional(
    Int(
      'the part of mismatches explained by a worker event (a death, a hang) or by the round deadline (ROUND_DEADLINE) in that round: see workerEvents, explained',
    ),
  ),
  accounted: Type.Boolean({
    description:
      'sent == ok + errors, and client-seen == server-seen per worker and round, except where a worker event or the round deadline explains it',
  }),
});
export type Totals = Static<typeof TotalsSchema>;

export const LatencySummarySchema = Type.Object(
  { p50: Num(), p90: Num(), p99: Num(), p999: Num(), max: Num(), mean: Num() },
  { description: 'client latency, ms' },
);
export type LatencySummary = Static<typeof LatencySummarySchema>;

export const PerWorkerSchema = Type.Object({
  id: Int(),
  pid: Int(),
  client: Int('responses the client saw from this worker (x-worker-pid)'),
  server: Int('requests the worker itself counted'),
  connections: Int('connections the worker itself counted'),
  share: Num('client / total client responses'),
  latencyMs: Nullable(LatencySummarySchema, 'null when the worker served no ok response'),
});
export type PerWorker = Static<typeof PerWorkerSchema>;

export const RoundResultSchema = Type.Object({
  index: Type.Integer({ minimum: 1 }),
  counts: Counts('client-seen responses per worker pid (every worker present)'),
  server: Counts('server-seen requests per worker pid, same round'),
  connections: Counts('server-seen connections per worker pid'),
  sent: Int(),
  ok: Int(),
  errors: Int(),
  mismatches: Int(),
  topShare: Num('largest client share of one worker in this round'),
  wallMs: Num(),
  errorsByCode: Type.Optional(Counts('failed requests of this round by code (absent: none failed)')),
  explained: Type.Optional(Int('mismatches of this round explained by a worker event or the round deadline (absent: none)')),
  errorsExplained: Type.Optional(
    Int('failed requests of this round that a worker event of the round (a fault, a death, the run stopping) accounts for (absent: none)'),
  ),
});
export type RoundResult = Static<typeof RoundResultSchema>;

export const MetricsSchema = Type.Object({
  jain: Nullable(Num(), "Jain's fairness index: 1 even, 1/n all on one worker; null with no responses (see noData)"),
  cv: Nullable(Num(), 'population standard deviation / mean of per-worker counts; null with no responses'),
  maxMin: Nullable(Num(), 'max/min of per-worker counts; null when some worker got nothing (infinite) or with no responses'),
  topShare: Nullable(Num(), 'largest share of one worker; null with no responses'),
  roundSkew: Nullable(Num(), '95th percentile over rounds that had responses of the per-round top share; null when none had'),
  noData: Type.Optional(Str('why the metrics are null: no response reached the client')),
});
export type Metrics = Static<typeof MetricsSchema>;

export const CpuMsSchema = Type.Object({
  primary: Num(),
  workers: Num(),
  loadGen: Type.Optional(Num('the load generator (the runner process) during the load')),
  loadGenShare: Type.Optional(
    Num(
      "the load generator's CPU as a share of one core over the load's wall time (0.92: 92%): what the cost table and the saturation warning show",
    ),
  ),
  primaryPer10kConn: Type.Optional(Nullable(Num(), 'primary CPU ms per 10,000 connections the workers took')),
  clients: Type.Optional(Type.Array(Num(), { description: 'CPU ms of each load-generator process (--clients > 1)' })),
  clientShares: Type.Optional(
    Type.Array(Num(), { description: 'the CPU of each load-generator process as a share of one core over the load (--clients > 1)' }),
  ),
});
export type CpuMs = Static<typeof CpuMsSchema>;

export const SeriesPointSchema = Type.Object({ second: Int(), pid: Int(), count: Int() });
export type SeriesPoint = Static<typeof SeriesPointSchema>;

export const WORKER_EVENTS = ['killed', 'hung', 'slowed', 'exited', 'died', 'spawned', 'unresponsive'] as const;
export type WorkerEventKind = (typeof WORKER_EVENTS)[number];

export const WorkerEventSchema = Type.Object(
  {
    round: Int('the round it happened in (timed loads: 1)'),
    atMs: Num('ms after the start of the load (negative: before it)'),
    id: Int(),
    pid: Int(),
    event: Type.Union(
      [
        Type.Literal('killed'),
        Type.Literal('hung'),
        Type.Literal('slowed'),
        Type.Literal('exited'),
        Type.Literal('died'),
        Type.Literal('spawned'),
        Type.Literal('unresponsive'),
      ],
      {
        description:
          'killed / hung / slowed / exited: a --fault; died: exited unasked; spawned: a replacement (--respawn); unresponsive: missed a counter read',
      },
    ),
    expected: Type.Boolean({
      description: 'asked for by the run (--fault, and the replacements of --respawn) rather than a failure of the cluster itself',
    }),
    detail: Str('one sentence: what happened (exit code, signal, which worker it replaced)'),
  },
  { description: 'A worker that came, went or changed behaviour during the run.' },
);
export type WorkerEvent = Static<typeof WorkerEventSchema>;

export const LatencyPointSchema = Type.Object({ p: Num(), ms: Num() });

export const MeasuredStrategySchema = Type.Object(
  {
    name: Str(),
    kind: StrategyKindSchema,
    description: Str(),
    rep: Type.Optional(Type.Integer({ minimum: 1, description: 'which repetition of this strategy (1-based; absent: 1)' })),
    variant: Type.Optional(
      Type.Union([Type.Literal('baseline'), Type.Literal('current')], {
        description: 'an A/B run: the side this entry ran on; the two entries of one rep ran side by side (a pair)',
      }),
    ),
    workers: Type.Array(WorkerRefSchema),
    totals: TotalsSchema,
    perWorker: Type.Array(PerWorkerSchema),
    rounds: Type.Array(RoundResultSchema),
    metrics: MetricsSchema,
    latencyMs: Nullable(LatencySummarySchema, 'null when no ok response came back (see metrics.noData)'),
    latencyWithFailuresMs: Type.Optional(
      Nullable(
        LatencySummarySchema,
        'every request that came back, failures included at their time to failure (a timeout at its deadline): a strategy whose slow requests fail cannot look faster here; null when none came back',
      ),
    ),
    latencyCurve: Type.Array(LatencyPointSchema, { description: 'percentile curve for charts: p50 ... p99.9' }),
    timedOut: Type.Optional(
      Int('requests that hit the round deadline or drain time: slower than every latency above, which counts answered requests only'),
    ),
    rps: Num('completed (ok) responses per second of load wall time'),
    wallMs: Num('wall time of the load (all rounds)'),
    cpuMs: CpuMsSchema,
    errorsByCode: Counts('client errors by code (ECONNRESET, ROUND_DEADLINE, HTTP_503, NO_PID, LOST, ...)'),
    problems: Type.Array(Str(), { description: 'every reconciliation problem, one sentence each; empty when accounted' }),
    incomplete: Type.Optional(Str('why this strategy stopped before its load ended (interrupted, out of time); its last round is partial')),
    workerEvents: Type.Optional(Type.Array(WorkerEventSchema, { description: 'workers that came, went, hung or slowed (absent: none)' })),
    reload: Type.Optional(
      Type.Object(
        {
          handovers: Type.Array(
            Type.Object({
              oldPid: Int('the worker retired'),
              newPid: Int('its replacement'),
              ms: Num('from forking the replacement to the old worker gone'),
            }),
          ),
          fromMs: Num('when the restart began, ms after the load started'),
          toMs: Nullable(Num('when the last old worker was gone, ms after the load started'), 'the load ended first'),
          refused: Type.Optional(Str('why this strategy could not be reloaded')),
          inside: Nullable(LatencySummarySchema, 'responses while the restart ran: none'),
          outside: Nullable(LatencySummarySchema, 'responses outside it: none'),
        },
        { description: '--fault reload: a rolling restart under load, every worker replaced one at a time' },
      ),
    ),
    explained: Type.Optional(
      Type.Array(Str(), {
        description: 'how a worker event or the round deadline accounts for each difference and failure of its round, one sentence each',
      }),
    ),
    warnings: Type.Optional(
      Type.Array(Str(), { description: 'what makes the numbers less trustworthy (e.g. a saturated load generator)' }),
    ),
    kernel: Type.Optional(
      Type.Object(
        { listenOverflows: Int('connections a full listen queue dropped'), listenDrops: Type.Optional(Int('Linux only: ListenDrops')) },
        { description: 'listen queue drops during the load, machine-wide (Linux: /proc/net/netstat; macOS: netstat -s -p tcp)' },
      ),
    ),
    series: Type.Optional(Type.Array(SeriesPointSchema, { description: 'ok responses per second and worker' })),
    dispatch: Type.Optional(
      Type.Object(
        {
          dispatched: Int(),
          refused: Int(),
          dropped: Int(),
          pickErrors: Type.Optional(Int('picks that threw or gave no valid worker (a user strategy): those went round-robin')),
          firstPickError: Type.Optional(Str('the first of them, in words')),
          acceptErrors: Type.Optional(
            Counts(
              "connections the primary's accept failed on, by error (EMFILE: the open-file limit); each client saw a reset or a timeout",
            ),
          ),
        },
        { description: "the primary's own placement: userland dispatch, and the proxy (dispatched: connections piped)" },
      ),
    ),
    placement: Type.Optional(
      Type.Array(Type.Object({ address: Str('a client source address'), counts: Counts('responses per worker pid for its connections') }), {
        description: '--client-addrs: where the connections of each client source address went',
      }),
    ),
    source: Type.Optional(
      Type.Object(
        { file: Str('the module, as given to --strategy-file'), sha256: Str('SHA-256 of its bytes, hex') },
        { description: 'a user strategy (kind user): the file it came from' },
      ),
    ),
  },
  { description: 'A strategy that ran.' },
);
export type MeasuredStrategy = Static<typeof MeasuredStrategySchema>;

export const SkippedStrategySchema = Type.Object(
  { name: Str(), kind: StrategyKindSchema, description: Type.Optional(Str()), skipped: Str('why it could not run here') },
  { description: 'A strategy this platform or Node version cannot run: the reason, no numbers.' },
);
export type SkippedStrategy = Static<typeof SkippedStrategySchema>;

/**
 * A strategy entry is measured, or skipped (it then has `skipped` and no numbers). The annotation
 * tells readers (and our error messages) which variant an entry means: the one that requires the
 * property when it is present, the other when it is absent.
 */
export const StrategyResultSchema = Type.Union([MeasuredStrategySchema, SkippedStrategySchema], { [VARIANT_BY_PRESENCE]: 'skipped' });
export type StrategyResult = MeasuredStrategy | SkippedStrategy;

export const isSkipped = (s: StrategyResult): s is SkippedStrategy => 'skipped' in s && typeof s.skipped === 'string';
/** A/B runs: the variants of a strategy are told apart as `rr@baseline`, `rr@current` (reports group by this). */
export const strategyLabel = (s: { name: string; variant?: string }): string =>
  s.variant === undefined ? s.name : `${s.name}@${s.variant}`;
export type VariantName = 'baseline' | 'current';

export const measured = (strategies: readonly StrategyResult[]): MeasuredStrategy[] =>
  strategies.filter((s): s is MeasuredStrategy => !isSkipped(s));

export const RunResultSchema = Type.Object(
  {
    schemaVersion: Type.Literal(SCHEMA_VERSION),
    tool: Type.Object({ name: Str(), version: Str() }),
    runId: Str('sortable, filesystem-safe: 20261122-031500-a1b2'),
    startedAt: Str('ISO 8601'),
    finishedAt: Str('ISO 8601'),
    wallMs: Num(),
    env: EnvInfoSchema,
    options: RunOptionsSchema,
    strategies: Type.Array(StrategyResultSchema),
    ok: Type.Boolean({ description: 'every strategy accounted, none failed (with --fault: every failure explained), none incomplete' }),
    interrupted: Type.Optional(
      Str('the signal that stopped the run early (SIGINT, SIGTERM): the strategies that finished, then one marked incomplete'),
    ),
    simulated: Type.Optional(
      Type.Object(
        {
          model: Str('what was simulated, in words (npm run simulate: sim/engine.ts, docs/simulate.md)'),
          settings: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Null()]), {
            description: 'the model settings: utilization, service, costs, cores, wake-up order, requests',
          }),
          calibration: Nullable(Str('the measured run it was calibrated from (--like); null: the settings alone')),
        },
        { description: 'a simulated run (npm run simulate): nothing ran on a cluster; env is where it was simulated' },
      ),
    ),
    warmups: Type.Optional(
      Type.Array(
        Type.Object({
          name: Str(),
          variant: Type.Optional(Str()),
          rps: Num(),
          ok: Type.Boolean({ description: 'every request answered and accounted' }),
        }),
        { description: '--warmup: the repetitions run first and not counted (a cold start), as measured' },
      ),
    ),
    runner: Type.Optional(
      Type.Object(
        { maxRssMb: Num('peak resident memory of the runner process'), cpuMs: Num('CPU of the runner process, whole run') },
        { description: 'what the runner (the load generator) itself used' },
      ),
    ),
    raw: Type.Optional(
      Type.Object(
        {
          mode: Str('--raw: all, sample:P or none'),
          rows: Int('rows written'),
          file: Type.Optional(Str('the rows file beside result.json')),
        },
        { description: 'the raw per-request rows (requests.csv) of this run' },
      ),
    ),
  },
  {
    title: 'cluster-sched-bench result',
    description:
      'One run of cluster-sched-bench: environment, options, and per strategy the reconciled counts, fairness, latency and cost. Times are ms unless a name says otherwise.',
  },
);
export type RunResult = Static<typeof RunResultSchema>;

export const RESULT_SCHEMA_FILE = 'docs/result.schema.json';

/** The published JSON Schema (docs/result.schema.json): the schemas above, as JSON, with the draft named. */
export function resultJsonSchema(): string {
  return `${JSON.stringify({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...RunResultSchema }, null, 2)}\n`;
}
