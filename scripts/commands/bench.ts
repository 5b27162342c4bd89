// `npm run bench`: options -> runner (collect) -> result files (format) -> terminal tables and the
// report (reports) -> exit code. Humans get stderr; --json prints the result document to stdout.
// A --preset may ask for several runs: each is written and reported as its own run, then one
// site shows them side by side.

import path from 'node:path';
import { UsageError } from '../../format/errors.js';
import { HlogWriter } from '../../format/hlog.js';
import { RESULT_FILE, writeRun } from '../../format/io.js';
import type { LoadMode } from '../../format/loads.js';
import { RowsWriter } from '../../format/requests.js';
import { measured, type RunResult, strategyLabel } from '../../format/schema.js';
import {
  comparisonTable,
  costTable,
  crowdText,
  envHeader,
  eventsText,
  liveLines,
  problemsText,
  reloadText,
  strategyLine,
} from '../../reports/terminal.js';
import { killAllNow, stopAll } from '../../runner/cluster/handle.js';
import { useCodeSnapshot } from '../../runner/code-snapshot.js';
import { killClientsNow } from '../../runner/load/clients.js';
import { LOADS } from '../../runner/load/index.js';
import { recordedOptions } from '../../runner/options.js';
import { runBench } from '../../runner/run.js';
import type { LiveView } from '../../runner/strategy-run.js';
import { loadApp } from '../../runner/user-app.js';
import { loadUserStrategy, type UserStrategyInfo } from '../../runner/user-strategy.js';
import { seededRng } from '../../strategies/rng.js';
import { type BenchRequest, EXAMPLES, FLAGS, PRESETS, parseBenchPlan, withNodes } from '../lib/bench-options.js';
import { type Command, type CommandContext, INTERRUPTED_EXIT, signalExitCode } from '../lib/command.js';
import { type NodeChoice, resolveNode } from '../lib/flag-values.js';

async function benchOnce(
  req: BenchRequest,
  { err, paint, signal }: CommandContext,
  user: UserStrategyInfo | undefined,
  baselineUser: UserStrategyInfo | undefined,
): Promise<{ result: RunResult; dir: string | null }> {
  // The rows stream to a temp file while the run goes; it moves into the run folder at the end.
  const rows = new RowsWriter(req.raw, seededRng(req.options.seed ^ 0x5eed));
  const hlog = new HlogWriter();
  // The live view: on a terminal, per-worker bars redrawn in place while a load runs; plain lines otherwise.
  const liveOn = err.isTTY === true && !req.quiet && !process.env.NO_COLOR;
  let shown = 0;
  const clearLive = (): void => {
    if (shown > 0) err.write(`\x1b[${shown}A\r\x1b[J`);
    shown = 0;
  };
  let result: RunResult;
  try {
    result = await runBench(req.options, {
      label: req.label,
      signal,
      ...(user && { user }),
      ...(baselineUser && { baselineUser }),
      onWarmup: (w) => {
        clearLive();
        err.write(
          `${err.isTTY ? '\r\x1b[K' : ''}  ${paint.dim(`warm-up ${strategyLabel(w)}: ${Math.round(w.rps)} req/s${w.ok ? '' : ', with failures'} (not counted)`)}\n`,
        );
      },
      raw: (strategy, rep) => rows.sink(strategy, rep),
      latency: (label, h) => hlog.add(label, h),
      onStart: ({ runId, env, warnings }) =>
        err.write(
          `${envHeader(env, recordedOptions(req.options), runId)}\n${warnings.map((w) => `  ${paint.red(`! ${w}`)}\n`).join('')}\n`,
        ),
      onRound: (name, i, n) => !liveOn && !req.quiet && err.isTTY && err.write(`\r  ${name} round ${i}/${n} `),
      ...(liveOn && {
        live: (label: string, v: LiveView) => {
          clearLive();
          const lines = liveLines(label, v.step, v.workers);
          err.write(`${lines.join('\n')}\n`);
          shown = lines.length;
        },
      }),
      onStrategy: (s) => {
        clearLive();
        err.write(`${err.isTTY ? '\r\x1b[K' : ''}${strategyLine(s, paint, req.options.runs)}\n`);
      },
    });
  } catch (e) {
    rows.abort();
    throw e;
  }
  const done = measured(result.strategies);
  if (result.interrupted !== undefined && done.length === 0) {
    rows.abort();
    err.write(`\n  interrupted before anything was measured: no results written\n`);
    return { result, dir: null };
  }
  // Interrupted or not, what was measured is written (atomically), the partial strategy marked incomplete.
  const dir = writeRun(result, rows, hlog.content());
  err.write(`\n${comparisonTable(result.strategies, paint)}\n\n${costTable(result.strategies, paint)}\n`);
  const reload = reloadText(result.strategies, paint);
  if (reload !== '') err.write(`\n${reload}\n`);
  const crowd = crowdText(result.strategies, paint);
  if (crowd) err.write(`\n${crowd}\n`);
  const events = eventsText(result.strategies);
  if (events) err.write(`\n${events}\n`);
  const problems = problemsText(result.strategies, paint);
  if (problems) err.write(`\n${problems}\n`);
  err.write(`\n  ${(result.wallMs / 1000).toFixed(1)} s; results in ${dir}${path.sep}\n`);
  if (result.interrupted !== undefined) {
    const partial = done.filter((s) => s.incomplete !== undefined).length;
    err.write(
      `  interrupted (${result.interrupted}): ${done.length - partial} strategies complete, ${partial} incomplete; the report: npm run report -- ${dir}\n`,
    );
    return { result, dir };
  }
  if (req.report) {
    const { reportLine } = await import('../../reports/render.js'); // reads the files just written; loads vega only here
    err.write(`  ${await reportLine(dir)}\n`);
  }
  return { result, dir };
}

export const bench: Command<BenchRequest[]> = {
  name: 'bench',
  summary: 'Measure how Node.js cluster spreads connections across workers, strategy by strategy.',
  flags: FLAGS,
  positionals: true,
  notes: [
    `Load modes (--load MODE):\n${(Object.keys(LOADS) as LoadMode[]).map((m) => `  ${m.padEnd(13)} ${LOADS[m].description}`).join('\n')}`,
    `Presets (--preset NAME):\n${Object.entries(PRESETS)
      .map(([name, p]) => `  ${name.padEnd(13)} ${p.description}`)
      .join('\n')}`,
    `JSON on stdout (--json): the run's ${RESULT_FILE}, once it has finished. With a --preset of several runs: an array of\n` +
      "them, one per run in the preset's order (a preset of one run: one document). Nothing is printed if interrupted.",
  ],
  examples: EXAMPLES,
  exitCodes: `0 ok (with --fault: every failure explained), 1 a failed run or unaccounted requests, 2 bad usage, ${INTERRUPTED_EXIT}: what was measured is written.`,
  parse: parseBenchPlan,
  cleanup: stopAll,
  // Ctrl-C or SIGTERM: the load stops, the clusters shut down, what was measured is written, exit
  // 130 / 143. A second one, or 4.5 s without finishing, kills every process at once.
  endsOnSignal: true,
  stopDeadlineMs: 4500,
  hardStop: () => {
    killAllNow();
    killClientsNow();
  },
  interruptNote: 'stopping the load and keeping what was measured (again: quit at once)',
  async run(requested, ctx) {
    // --node 22: installed, or found in the cache, before anything starts (once for all of a preset's runs).
    const binaries = new Map<string, string>();
    const resolve = (choice: NodeChoice, flag: string): string => {
      const key = `${flag} ${JSON.stringify(choice)}`;
      const known = binaries.get(key) ?? resolveNode(choice, ctx.err, flag);
      binaries.set(key, known);
      return known;
    };
    const plan = requested.map((req) => withNodes(req, resolve));
    // A strategy file is loaded and tried once, before anything starts: a bad one is exit 2, one line.
    const load = (file: string | undefined, flag: string): Promise<UserStrategyInfo | undefined> =>
      file === undefined
        ? Promise.resolve(undefined)
        : loadUserStrategy(file).catch((err: Error) => {
            throw new UsageError(err.message.replace('--strategy-file', `--${flag}`));
          });
    const user = await load(plan[0].options.strategyFile, 'strategy-file');
    // --app: loaded, built and sent one request in a thread before any cluster starts.
    if (plan[0].options.app !== undefined) await loadApp(plan[0].options.app.file);
    const baselineUser = await load(plan[0].options.baseline?.strategyFile, 'baseline-strategy-file');
    // From here on, clusters and load generators fork from a copy of the code as it is now.
    const copyWarning = useCodeSnapshot();
    if (copyWarning) ctx.err.write(`  ! ${copyWarning}\n`);
    const done: Array<{ result: RunResult; dir: string }> = [];
    for (const [i, req] of plan.entries()) {
      if (i > 0) ctx.err.write('\n');
      const one = await benchOnce(req, ctx, user, baselineUser);
      // Only an interrupted run can be unwritten.
      if (one.dir === null || one.result.interrupted !== undefined) return signalExitCode(ctx.signal);
      done.push({ result: one.result, dir: one.dir });
    }
    const first = plan[0];
    if (plan.length > 1 && first.report) {
      const { reportSite } = await import('../../reports/render.js');
      const site = path.join(first.options.out, `${first.preset}-${done[0].result.runId}`);
      await reportSite(
        done.map((d) => d.dir),
        site,
      );
      ctx.err.write(`\n  ${first.preset}: ${done.length} runs side by side: ${path.join(site, 'compare', 'report.html')}\n`);
    }
    if (first.json) ctx.out.write(`${JSON.stringify(plan.length === 1 ? done[0].result : done.map((d) => d.result), null, 2)}\n`);
    return done.every((d) => d.result.ok) ? 0 : 1;
  },
};
