// `npm run perf:verdicts`: the comparator's false-alarm rate and power, by simulation with noise
// fitted from real A/A runs (perf/measure/verdicts.ts). `--fit RUNS...` refits the noise from A/A
// runs (A/B runs with the same code on both sides, and separate plain runs) and writes FILE.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { RESULT_FILE, readResult } from '../../format/io.js';
import type { RunResult } from '../../format/schema.js';
import { alignedTable } from '../../reports/text.js';
import { type Command, INTERRUPTED_EXIT } from '../../scripts/lib/command.js';
import { type FlagDoc, intFlag } from '../../scripts/lib/flags.js';
import { fitNoise, type NoiseFit, simulateTable } from '../measure/verdicts.js';

export const FIT_FILE = path.join('docs', 'noise', 'fit-shared-2core.json');

const FLAGS = {
  fit: { type: 'boolean', description: `refit the noise from the A/A runs (folders) given, write it to --file, then simulate` },
  file: { type: 'string', value: 'FILE', shown: FIT_FILE, description: 'the fitted noise model' },
  trials: { type: 'string', value: 'N', shown: '400', description: 'simulated comparisons per cell (and per effect)' },
  k: { type: 'string', value: 'LIST', shown: '4,6,8,12', description: 'pairs (A/B) or repetitions a run (two runs)' },
  seed: { type: 'string', value: 'N', shown: '1', description: 'seed of the simulation' },
} as const satisfies Record<string, FlagDoc>;

interface Request {
  fit: string[] | null;
  file: string;
  trials: number;
  ks: number[];
  seed: number;
}

function runsUnder(p: string): RunResult[] {
  if (statSync(p).isFile()) return [readResult(p)];
  if (existsSync(path.join(p, RESULT_FILE))) return [readResult(path.join(p, RESULT_FILE))];
  return readdirSync(p, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(path.join(p, e.name, RESULT_FILE)))
    .map((e) => readResult(path.join(p, e.name, RESULT_FILE)));
}

export const perfVerdicts: Command<Request> = {
  name: 'perf:verdicts',
  summary: "Simulate compare's false-alarm rate and power, with noise fitted from real A/A runs.",
  usage: '[--fit A/A-RUN-FOLDERS...] [flags]',
  flags: FLAGS,
  positionals: true,
  examples: [
    'npm run perf:verdicts',
    'npm run perf:verdicts -- --trials 50 --k 6   # a quick look',
    'npm run perf:verdicts -- --fit results/aa/ --file noise-fit.json',
  ],
  exitCodes: `0 ok, 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse(values, positionals) {
    const fit = values.fit === true ? positionals : null;
    if (fit !== null && fit.length === 0) throw new UsageError(msg.reportArgs('--fit needs A/A run folders'));
    if (fit === null && positionals.length > 0) throw new UsageError(msg.positional(positionals[0]));
    for (const p of fit ?? []) if (!existsSync(p)) throw new UsageError(msg.compareArg(p, 'no such file or folder'));
    const ks = String(values.k ?? '4,6,8,12')
      .split(',')
      .map((x) => intFlag('k', x, NaN, 3, 200));
    return {
      fit,
      file: String(values.file ?? FIT_FILE),
      trials: intFlag('trials', values.trials as string | undefined, 400, 10, 100_000),
      ks,
      seed: intFlag('seed', values.seed as string | undefined, 1, 0, 2 ** 32 - 1),
    };
  },
  async run(o, { out, err }) {
    let fit: NoiseFit;
    if (o.fit !== null) {
      const runs = o.fit.flatMap(runsUnder);
      const ab = runs.filter((r) => r.options.baseline !== undefined).length;
      fit = fitNoise(
        runs,
        `${runs.length} A/A runs (${ab} A/B with the same code on both sides, ${runs.length - ab} plain) on ${runs[0]?.env.cpuModel} (${runs[0]?.env.cores} cores), ${runs[0]?.runId}..${runs[runs.length - 1]?.runId}`,
      );
      writeFileSync(o.file, `${JSON.stringify(fit, null, 2)}\n`);
      err.write(`  fitted noise written to ${o.file}\n`);
    } else {
      if (!existsSync(o.file)) throw new UsageError(msg.compareArg(o.file, 'no such file (fit one: --fit RUNS...)'));
      fit = JSON.parse(readFileSync(o.file, 'utf8')) as NoiseFit;
    }
    out.write(`noise fitted from: ${fit.source}\n\n`);
    out.write(
      `${alignedTable(
        ['metric', 'rep sd', 'outliers', 'outlier size', 'drift/rep', 'between runs'],
        Object.entries(fit.metrics).map(([m, n]) => [
          m,
          n.sd.toFixed(4),
          `${(n.outlierRate * 100).toFixed(1)}%`,
          n.outlierSize.toFixed(3),
          n.drift.toFixed(4),
          n.between.toFixed(4),
        ]),
      )}\n\n`,
    );
    const rows = simulateTable(fit, o.ks, o.trials, o.seed, undefined, [true, false]);
    out.write(
      `${alignedTable(
        ['mode', 'noise model', 'K', 'trials', 'false alarms', 'power: req/s -20%', 'power: primary CPU x2'],
        rows.map((r) => [
          r.paired ? 'A/B paired' : 'two runs',
          r.model,
          String(r.k),
          String(r.trials),
          `${(r.falseAlarm * 100).toFixed(1)}%`,
          `${(r.powerRps * 100).toFixed(1)}%`,
          `${(r.powerCpu * 100).toFixed(1)}%`,
        ]),
      )}\n`,
    );
    out.write(
      '\nfalse alarms: A/A comparisons (5 strategies x 10 metrics) with any regression; target <= alpha (0.05). power: the changed row flagged.\n',
    );
    return 0;
  },
};
