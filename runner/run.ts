// The runner's main flow. Collect only: it writes result files and never draws.
//
//   argv -> parseCli (validate everything; bad input exits 2 before anything starts)
//        -> for each strategy: fresh primary + workers -> R rounds of load, each reconciled
//           -> summarize -> stop the cluster (always, also on Ctrl-C and errors)
//        -> RunResult -> results/<run-id>/{result.json, requests.csv} (atomic)
//        -> stderr: header, one line per strategy, comparison table; stdout: JSON with --json
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { STRATEGIES, type StrategyName } from '../strategies/registry.js';
import { comparisonTable, costTable, envHeader, paintFor, problemsText, strategyLine } from '../reports/terminal.js';
import { stopAll } from './cluster/handle.js';
import { environment } from './env.js';
import { RunError, UsageError } from './errors.js';
import { helpText, parseCli } from './options.js';
import { SCHEMA_VERSION, type RunResult, type StrategyResult } from './results.js';
import { newRunId, writeRun } from './results-io.js';
import { runStrategy, type Progress } from './strategy-run.js';
import type { RequestRecord } from './load/types.js';

export const REPO_DIR = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));

function toolVersion(): string {
  return (JSON.parse(readFileSync(path.join(REPO_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

function skipped(name: StrategyName, reason: string): StrategyResult {
  const def = STRATEGIES[name];
  const zero = { p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0 };
  return {
    name, kind: def.kind, description: def.description, workers: [], perWorker: [], rounds: [],
    totals: { sent: 0, ok: 0, errors: 0, mismatches: 0, accounted: true },
    metrics: { jain: 1, cv: 0, maxMin: 1, topShare: 0, roundSkew: 0 },
    latencyMs: zero, latencyCurve: [], rps: 0, wallMs: 0, cpuMs: { primary: 0, workers: 0 },
    errorsByCode: {}, problems: [], skipped: reason,
  };
}

/** Run the CLI; resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  const err = process.stderr;
  const paint = paintFor(err);
  let debug = argv.includes('--debug');
  let interrupted = false;
  // Checked between steps, so a Ctrl-C during a cluster's stop neither starts the next one nor writes results.
  const checkInterrupted = (): void => {
    if (interrupted) throw new RunError('INTERRUPTED', 'interrupted');
  };
  const onSignal = (): void => {
    interrupted = true;
    err.write('\ninterrupted: stopping every cluster; no results written\n');
    void stopAll().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const req = parseCli(argv);
    if (req === 'help') {
      process.stdout.write(`${helpText()}\n`); // asked-for output: pipeable (--help | less)
      return 0;
    }
    debug = req.debug;
    const { options } = req;
    const startedAt = new Date();
    const runId = newRunId(startedAt);
    const env = environment(REPO_DIR, req.label);
    err.write(`${envHeader(env, options, runId)}\n\n`);

    const progress: Progress = (name, i, n) => {
      if (err.isTTY) err.write(`\r  ${name} round ${i}/${n} `);
    };
    const results: StrategyResult[] = [];
    const rows: Array<{ strategy: string; records: RequestRecord[] }> = [];
    for (const name of options.policies as StrategyName[]) {
      checkInterrupted();
      const reason = STRATEGIES[name].supported(process.platform, process.version);
      const outcome = reason === null ? await runStrategy(name, options, progress) : { result: skipped(name, reason), records: [] };
      if (err.isTTY) err.write('\r\x1b[K');
      results.push(outcome.result);
      rows.push({ strategy: name, records: outcome.records });
      err.write(`${strategyLine(outcome.result, paint)}\n`);
    }
    const finishedAt = new Date();
    const ok = results.every((r) => r.totals.accounted && r.totals.errors === 0);
    const result: RunResult = {
      schemaVersion: SCHEMA_VERSION,
      tool: { name: 'cluster-sched-bench', version: toolVersion() },
      runId,
      startedAt: startedAt.toISOString(),
      finishedAt: finishedAt.toISOString(),
      wallMs: finishedAt.getTime() - startedAt.getTime(),
      env,
      options,
      strategies: results,
      ok,
    };
    checkInterrupted();
    const dir = writeRun(result, rows);
    err.write(`\n${comparisonTable(results, paint)}\n\n${costTable(results, paint)}\n`);
    const problems = problemsText(results, paint);
    if (problems) err.write(`\n${problems}\n`);
    err.write(`\n  ${(result.wallMs / 1000).toFixed(1)} s; results in ${dir}${path.sep}\n`);
    if (req.report) {
      const { reportLine } = await import('../reports/render.js'); // reads the files just written; loads vega only here
      err.write(`  ${await reportLine(dir)}\n`);
    }
    if (req.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ok ? 0 : 1;
  } catch (e) {
    // Already reported; the error is the run failing because its clusters were being stopped.
    if (interrupted) return 130;
    const error = e as Error & { exitCode?: number };
    err.write(`${paint.red('error:')} ${error instanceof UsageError ? error.message : error.message}\n`);
    if (debug && error.stack) err.write(`${error.stack}\n`);
    return error.exitCode ?? 1;
  } finally {
    await stopAll();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
