// The runner's main flow. Collect only: it returns a RunResult (and the raw rows) and never
// prints, renders or writes; the bench command does that with format/ and reports/.
//
//   RunOptions (complete, typed: runner/options.ts)
//     -> for each strategy: supported here? no: a skipped entry (the reason, no numbers)
//                           yes: fresh primary + workers -> R rounds of load, each reconciled
//                                -> summarize -> stop the cluster (always, also on abort and errors)
//     -> RunResult { env, options, strategies, ok }; each record was tallied, then handed to hooks.raw

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { RunError } from '../format/errors.js';
import type { LatencyHistograms } from '../format/hlog.js';
import { newRunId } from '../format/io.js';
import {
  type EnvInfo,
  isSkipped,
  type RunResult,
  SCHEMA_VERSION,
  type SkippedStrategy,
  type StrategyResult,
  strategyLabel,
} from '../format/schema.js';
import { STRATEGIES, type StrategyName } from '../strategies/registry.js';
import { cpuUs } from './cluster/protocol.js';
import { environment } from './env.js';
import { backlogWarning, readSomaxconn } from './limits.js';
import { ClientPool } from './load/clients.js';
import { loadDef } from './load/index.js';
import { INTERRUPTED } from './load/types.js';
import { type RunOptions, recordedOptions } from './options.js';
import type { Progress } from './rounds.js';
import { type LiveView, runStrategy } from './strategy-run.js';
import type { RecordSink } from './tally.js';
import { runTarget, TARGET_NAME } from './target.js';
import { loadUserStrategy, type UserStrategyInfo } from './user-strategy.js';
import { baselineEnv, sidesInOrder, variantsOf } from './variants.js';

export const REPO_DIR = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const toolVersion = (): string =>
  (JSON.parse(readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')) as { version: string }).version;

/** How long a primary's death by SIGINT or SIGTERM waits for the same signal to reach the runner. */
const SIGNAL_GRACE_MS = 250;

export interface RunHooks {
  /** `--label`: names the run in reports. */
  label?: string | null;
  /** Before the first cluster starts; `warnings`: what this machine's settings may cost the whole run (to print once). */
  onStart?(info: { runId: string; env: EnvInfo; warnings: string[] }): void;
  onRound?: Progress;
  /** Each strategy as it finishes (or is skipped). */
  onStrategy?(result: StrategyResult): void;
  /** Where each record of a strategy's repetition goes once tallied (the requests file), if anywhere. */
  raw?(strategy: string, rep: number): RecordSink | undefined;
  /** While a strategy's load runs (warm-ups too): requests per worker now (strategy-run.ts LiveView). */
  live?(label: string, view: LiveView): void;
  /** Each counted strategy repetition's latency histograms, by its label (latency.hlog). */
  latency?(label: string, h: LatencyHistograms): void;
  /**
   * Aborted (Ctrl-C; its reason names the signal): the load in flight stops, that strategy is
   * summarized as it stands and marked incomplete, none starts after it, and the run resolves
   * with what was measured and `interrupted` set.
   */
  signal?: AbortSignal;
  /** --strategy-file, already loaded and tried by the caller (else it is loaded here). */
  user?: UserStrategyInfo;
  /** --baseline-strategy-file, the same. */
  baselineUser?: UserStrategyInfo;
  /** Each warm-up repetition as it finishes (not counted, not in `strategies`). */
  onWarmup?(w: NonNullable<RunResult['warmups']>[number]): void;
}

function skipped(name: StrategyName, reason: string): SkippedStrategy {
  const def = STRATEGIES[name];
  return { name, kind: def.kind, description: def.description, skipped: reason };
}

/** Every strategy of `options`, one fresh cluster each, in order. */
export async function runBench(options: RunOptions, hooks: RunHooks = {}): Promise<RunResult> {
  // The loads see INTERRUPTED (their open requests' error code); the result records the signal.
  const stopper = new AbortController();
  const onAbort = (): void => stopper.abort(INTERRUPTED);
  if (hooks.signal?.aborted) onAbort();
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  const stop = stopper.signal;
  const startedAt = new Date();
  const runId = newRunId(startedAt);
  const env = environment(REPO_DIR, hooks.label ?? null, options.node);
  if (options.target !== undefined) delete env.clusterNode; // not ours: unknown
  if (options.baseline !== undefined) env.baseline = baselineEnv(options.baseline, env.clusterNode ?? process.version, env.gitCommit);
  // The kernel's cap on the listen backlog: said once up front, and recorded with each strategy that overflowed (or could not tell).
  const backlogCap =
    options.target === undefined
      ? backlogWarning({
          backlog: options.backlog,
          somaxconn: readSomaxconn(),
          connections: loadDef(options).connectionsAtOnce(options),
          platform: process.platform,
        })
      : null;
  hooks.onStart?.({ runId, env, warnings: backlogCap === null ? [] : [backlogCap] });
  const strategies: StrategyResult[] = [];
  const record = (s: StrategyResult): void => {
    strategies.push(s);
    hooks.onStrategy?.(s);
  };
  const runs = options.runs ?? 1;
  const warmups: NonNullable<RunResult['warmups']> = [];
  // Load-generator processes, forked once for the whole run (--clients > 1).
  const pool = (options.clients ?? 1) > 1 && options.target === undefined ? new ClientPool(options.clients ?? 1) : undefined;
  try {
    if (options.target !== undefined) {
      // A server this run did not start: its own placement is what is measured, once per repetition.
      const o = { ...options, target: options.target };
      for (let rep = 1; rep <= runs && !stop.aborted; rep++)
        record({ ...(await runTarget(o, hooks.onRound, hooks.raw?.(TARGET_NAME, rep), stop)), rep });
    }
    // A strategy of the user's runs after the built-ins, like one of them (checked again here:
    // the bench command has refused a bad one before anything started).
    const user = hooks.user ?? (options.strategyFile === undefined ? undefined : await loadUserStrategy(options.strategyFile));
    const baselineUser =
      hooks.baselineUser ??
      (options.baseline?.strategyFile === undefined ? undefined : await loadUserStrategy(options.baseline.strategyFile));
    const baseline = options.baseline && {
      ...(options.baseline.node !== undefined && { node: options.baseline.node }),
      ...(options.baseline.checkout !== undefined && { checkout: options.baseline.checkout }),
      ...(baselineUser && { user: baselineUser }),
    };
    const sides = variantsOf(
      { clusterNode: env.clusterNode ?? process.version, ...(options.node !== undefined && { node: options.node }), ...(user && { user }) },
      baseline,
    );
    const order: Array<StrategyName | UserStrategyInfo> = [...options.policies, ...(user ? [user] : [])];
    // Interleaved (rr, none, lc, random, rr, none, ...) so drift of a shared machine hits all alike;
    // warm-ups (rep <= 0) first, run and not counted.
    for (let rep = 1 - (options.warmup ?? 0); rep <= runs; rep++) {
      for (const strategy of order) {
        const name = typeof strategy === 'string' ? strategy : strategy.name;
        if (stop.aborted) break;
        // The clusters' Node (--node, --baseline-node) is the one that must support it, on every side.
        const def = typeof strategy === 'string' ? STRATEGIES[strategy] : strategy;
        const reason = sides.map((v) => def.supported(process.platform, v.clusterNode)).find((r) => r !== null) ?? null;
        if (reason !== null) {
          if (rep === 1 && typeof strategy === 'string') record(skipped(strategy, reason)); // once: the reason, no numbers
          continue;
        }
        for (const side of sidesInOrder(sides, rep)) {
          if (stop.aborted) break;
          const label = strategyLabel({ name, ...(side.name && { variant: side.name }) });
          // Each repetition draws its own random sequence (seed + rep - 1), the same on both sides: still repeatable from --seed.
          let outcome: Awaited<ReturnType<typeof runStrategy>>;
          try {
            outcome = await runStrategy(
              typeof strategy === 'string' ? strategy : (side.user ?? strategy),
              {
                ...options,
                seed: options.seed + Math.max(rep, 1) - 1,
                node: side.node,
              },
              {
                progress: hooks.onRound && ((_, i, n) => hooks.onRound?.(rep <= 0 ? `${label} warm-up` : label, i, n)),
                raw: rep <= 0 ? undefined : hooks.raw?.(label, rep),
                ...(hooks.live && { live: (v: LiveView) => hooks.live?.(rep <= 0 ? `${label} warm-up` : label, v) }),
                pool,
                stop,
                ...(side.primaryModule !== undefined && { primaryModule: side.primaryModule }),
              },
            );
          } catch (err) {
            // A Ctrl-C that reaches a cluster still starting (its processes die of it) ends the run, not as a
            // failure. The whole group gets it at once, and a primary that has not yet installed its
            // handler can be reported dead before ours has run: give ours a moment to land.
            if (!stop.aborted && err instanceof RunError && err.code === 'PRIMARY_EXIT' && /signal SIG(INT|TERM)\b/.test(err.message))
              await new Promise((r) => setTimeout(r, SIGNAL_GRACE_MS));
            if (stop.aborted) break;
            throw err;
          }
          const { result, node } = outcome;
          // The version recorded is the one that served; a cluster on another one would mislabel the run.
          if (node !== side.clusterNode)
            result.warnings = [...(result.warnings ?? []), `the cluster ran on Node ${node}, not ${side.clusterNode} as recorded`];
          if (backlogCap !== null && (result.kernel?.listenOverflows ?? 1) > 0) result.warnings = [...(result.warnings ?? []), backlogCap];
          // Stopped before its first round: nothing measured, nothing to keep.
          if (result.incomplete !== undefined && result.rounds.length === 0) break;
          if (rep <= 0) {
            const w = {
              name,
              ...(side.name && { variant: side.name }),
              rps: result.rps,
              ok: strategyOk(result, options.fault !== undefined),
            };
            warmups.push(w);
            hooks.onWarmup?.(w);
            continue;
          }
          hooks.latency?.(label, outcome.latency);
          // Both sides fill one slot: the baseline's user strategy is recorded under the current one's name.
          record({ ...result, name, rep, ...(side.name && { variant: side.name }) });
        }
      }
    }
  } finally {
    hooks.signal?.removeEventListener('abort', onAbort);
    pool?.close();
  }
  const finishedAt = new Date();
  const interrupted = hooks.signal?.aborted ? String(hooks.signal.reason ?? 'SIGINT') : undefined;
  const result: RunResult = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'cluster-sched-bench', version: toolVersion() },
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    wallMs: finishedAt.getTime() - startedAt.getTime(),
    env,
    options: recordedOptions(options),
    strategies,
    ...(warmups.length > 0 && { warmups }),
    runner: { maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), cpuMs: Math.round(cpuUs() / 1000) },
    ok: interrupted === undefined && strategies.every((s) => strategyOk(s, options.fault !== undefined)),
    ...(interrupted !== undefined && { interrupted }),
  };
  return result;
}

/**
 * A strategy is ok when every request is accounted for, it ran to the end, and nothing failed;
 * with --fault, failures are what was asked for: ok when a worker event of its round accounts for
 * every one of them and every event was asked for.
 */
export function strategyOk(s: StrategyResult, faultInjected: boolean): boolean {
  if (isSkipped(s)) return true;
  if (!s.totals.accounted || s.incomplete !== undefined) return false;
  if (s.totals.errors === 0) return true;
  const explained = s.rounds.reduce((a, r) => a + (r.errorsExplained ?? 0), 0);
  return faultInjected && explained === s.totals.errors && (s.workerEvents ?? []).every((e) => e.expected);
}
