// `npm run compare -- BASELINE CURRENT`: per strategy and metric, the change and a verdict
// (reports/compare.ts). Exit 1 on a regression, 0 otherwise, 2 on bad input or runs that cannot
// be compared (different load settings: each difference named).
//
// BASELINE and CURRENT are result files, run folders, or folders of run folders (CI: one per
// platform x Node); folders of runs are paired by label.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { checkWritable, RESULT_FILE, readResult, runFoldersUnder } from '../../format/io.js';
import type { RunResult } from '../../format/schema.js';
import {
  type Comparison,
  compareAB,
  compareRuns,
  DEFAULT_ALPHA,
  DEFAULT_THRESHOLDS,
  isAB,
  regressions,
  runSpreads,
  settingDifferences,
  splitPairs,
  THRESHOLD_IDS,
  type Thresholds,
} from '../../reports/compare.js';
import { bencherMetrics, compareHtml, compareMarkdown, compareTerminal, type ExportRow, gabEntries } from '../../reports/compare-text.js';
import { labelRuns } from '../../reports/data.js';
import { type NoiseProfile, readProfile } from '../../reports/noise.js';
import { DEFAULT_NOISE } from '../../reports/noise-default.js';
import { noiseTable, profileFrom, withDetectable } from '../../reports/noise-profile.js';
import { type Command, type FlagValues, INTERRUPTED_EXIT } from '../lib/command.js';
import type { FlagDoc } from '../lib/flags.js';

const EXPORTS = ['gab', 'bencher'] as const;
type ExportFormat = (typeof EXPORTS)[number];

const FLAGS = {
  aa: {
    type: 'boolean',
    description:
      'A/A: runs of the same code (one run: its neighbouring repetitions as pairs; several: also every two against each other); writes their noise profile, noise.json, into the first run folder',
  },
  noise: {
    type: 'string',
    value: 'FILE',
    shown: 'docs/noise/shared-2core.json',
    description: 'a noise profile (from --aa): two-run comparisons add its between-run noise, and thresholds rise to its noise band',
  },
  thresholds: {
    type: 'string',
    value: 'LIST',
    shown: Object.entries(DEFAULT_THRESHOLDS)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    description: `the smallest change worth a verdict (fairness: absolute; speed, cost: fraction), e.g. rps=0.05,p99=0.3 (metrics: ${THRESHOLD_IDS.join(', ')})`,
  },
  alpha: {
    type: 'string',
    value: 'P',
    shown: String(DEFAULT_ALPHA),
    description: 'family-wise error rate of regressions per comparison (Holm over every tested row)',
  },
  config: { type: 'string', value: 'FILE', description: 'JSON file with { "thresholds": { "rps": 0.05, ... }, "alpha": 0.01 }; flags win' },
  md: { type: 'string', value: 'FILE', description: 'write the comparison as Markdown (GITHUB_STEP_SUMMARY, PR comments)' },
  html: { type: 'string', value: 'FILE', description: 'write the comparison as a self-contained HTML page' },
  json: { type: 'boolean', description: 'print the comparison as JSON on stdout' },
  export: {
    type: 'string',
    value: 'FORMAT',
    description:
      'with FILE after the runs: the current run as gab (github-action-benchmark: FILE-bigger.json, FILE-smaller.json) or bencher (Bencher Metric Format: FILE.json)',
  },
} as const satisfies Record<string, FlagDoc>;

export interface CompareRequest {
  /** Run paths: BASELINE CURRENT, one A/B run, or (--aa) one or more A/A runs. */
  paths: string[];
  aa: boolean;
  thresholds: Thresholds;
  /** Thresholds given (flag or config): a noise profile does not raise them. */
  fixed: Array<keyof Thresholds>;
  alpha: number;
  noise: NoiseProfile;
  /** The profile's file, or null for the bundled default. */
  noiseFile: string | null;
  md?: string;
  html?: string;
  json: boolean;
  exportTo?: { format: ExportFormat; file: string };
}

const isThresholdId = (k: string): k is keyof Thresholds => (THRESHOLD_IDS as string[]).includes(k);
const isThreshold = (n: number): boolean => Number.isFinite(n) && n >= 0;

function parseThresholds(text: string, into: Thresholds, fixed: Array<keyof Thresholds>): void {
  for (const part of text.split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (!isThresholdId(k)) throw new UsageError(msg.metric(k, '--thresholds', THRESHOLD_IDS.join(', ')));
    const n = Number(v);
    if (v === undefined || !isThreshold(n)) throw new UsageError(msg.threshold(part, k));
    into[k] = n;
    fixed.push(k);
  }
}

function fromConfig(file: string, thresholds: Thresholds, fixed: Array<keyof Thresholds>): number | undefined {
  let doc: { thresholds?: Record<string, unknown>; alpha?: unknown };
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(msg.config(file, `cannot read it: ${(err as Error).message.split('\n')[0]}`));
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(doc)) throw new UsageError(msg.config(file, 'expected a JSON object like {"thresholds": {"rps": 0.05}, "alpha": 0.01}'));
  const known = new Set(['thresholds', 'alpha']);
  const extra = Object.keys(doc).find((k) => !known.has(k));
  if (extra) throw new UsageError(msg.config(file, `unknown key '${extra}' (valid: thresholds, alpha)`));
  if (doc.thresholds !== undefined) {
    if (!isObject(doc.thresholds)) throw new UsageError(msg.config(file, 'thresholds: expected an object like {"rps": 0.05}'));
    // The JSON's numbers are taken as numbers: checked as --thresholds checks its own, never turned into text and back.
    for (const [k, v] of Object.entries(doc.thresholds)) {
      if (!isThresholdId(k)) throw new UsageError(msg.config(file, msg.metric(k, 'thresholds', THRESHOLD_IDS.join(', '))));
      if (typeof v !== 'number' || !isThreshold(v))
        throw new UsageError(msg.config(file, `thresholds.${k}: expected a number >= 0, got ${JSON.stringify(v)}`));
      thresholds[k] = v;
      fixed.push(k);
    }
  }
  if (doc.alpha === undefined) return undefined;
  if (typeof doc.alpha !== 'number') throw new UsageError(msg.config(file, `alpha: expected a number, got ${JSON.stringify(doc.alpha)}`));
  return alphaOf(doc.alpha, `--config '${file}': alpha`);
}

/** --alpha (or the config's): a number between 0 and 1. */
function alphaOf(value: number | string, where: string): number {
  const a = Number(value);
  if (!(a > 0 && a < 1)) throw new UsageError(msg.alpha(where, String(value)));
  return a;
}

/** An output file (--md, --html, the gab files): a name, not a folder, where we can write (its folder is made if missing). */
function checkOutFile(f: string): void {
  if (f === '') throw new UsageError(msg.out(f, 'no file name', 'the comparison to'));
  if (existsSync(f) && statSync(f).isDirectory()) throw new UsageError(msg.out(f, 'it is a folder', 'the comparison to'));
  checkWritable(path.dirname(path.resolve(f)), 'the comparison to');
}

function writeOut(file: string, data: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, data);
}

export function parseCompare(values: FlagValues, positionals: string[]): CompareRequest {
  const args = [...positionals];
  const format = values.export as string | undefined;
  if (format !== undefined && !(EXPORTS as readonly string[]).includes(format))
    throw new UsageError(msg.exportFormat(format, EXPORTS.join(', ')));
  const exportFile = format ? args.pop() : undefined;
  if (format && !exportFile) throw new UsageError(msg.reportArgs(`--export ${format} needs a FILE after the runs`));
  const aa = values.aa === true;
  if (aa && args.length === 0) throw new UsageError(msg.reportArgs('--aa takes one or more runs (result folders or files)'));
  if (!aa && !(args.length === 2 || args.length === 1))
    throw new UsageError(
      msg.reportArgs(`give BASELINE and CURRENT (result folders or files), or one A/B run (bench --baseline-*), got ${args.length}`),
    );
  for (const a of args) if (!existsSync(a)) throw new UsageError(msg.compareArg(a, 'no such file or folder'));
  const thresholds = { ...DEFAULT_THRESHOLDS };
  const fixed: Array<keyof Thresholds> = [];
  const configAlpha = values.config === undefined ? undefined : fromConfig(String(values.config), thresholds, fixed);
  if (values.thresholds !== undefined) parseThresholds(String(values.thresholds), thresholds, fixed);
  const noiseFile = values.noise === undefined ? null : String(values.noise);
  let noise = DEFAULT_NOISE;
  if (noiseFile !== null) {
    try {
      noise = readProfile(noiseFile);
    } catch (err) {
      throw new UsageError(msg.noise(noiseFile, (err as Error).message));
    }
  }
  const exportFiles =
    !format || !exportFile ? [] : format === 'gab' ? [`${exportFile}-bigger.json`, `${exportFile}-smaller.json`] : [`${exportFile}.json`];
  for (const f of [values.md, values.html, ...exportFiles]) if (typeof f === 'string') checkOutFile(f);
  return {
    paths: args,
    aa,
    thresholds,
    fixed,
    alpha: values.alpha === undefined ? (configAlpha ?? DEFAULT_ALPHA) : alphaOf(String(values.alpha), '--alpha'),
    noise,
    noiseFile,
    md: values.md as string | undefined,
    html: values.html as string | undefined,
    json: values.json === true,
    ...(format && exportFile && { exportTo: { format: format as ExportFormat, file: exportFile } }),
  };
}

/** Every run under `p`: a result file, a run folder, or a folder of run folders (searched down). */
export function runsAt(p: string): RunResult[] {
  if (statSync(p).isFile()) return [readResult(p)];
  const dirs = runFoldersUnder(p);
  if (dirs.length === 0) throw new UsageError(msg.compareArg(p, `no ${RESULT_FILE} in it or below it`));
  return dirs.map((d) => readResult(path.join(d, RESULT_FILE)));
}

/** Pairs of runs to compare: the one of each side, or runs of the same label. */
function pairs(base: RunResult[], cur: RunResult[]): { pairs: Array<[RunResult, RunResult]>; unmatched: string[] } {
  if (base.length === 1 && cur.length === 1) return { pairs: [[base[0], cur[0]]], unmatched: [] };
  const label = (r: RunResult): string => labelRuns([r])[0].label;
  const byLabel = new Map(base.map((r) => [label(r), r]));
  const out: Array<[RunResult, RunResult]> = [];
  const unmatched: string[] = [];
  for (const r of cur) {
    const b = byLabel.get(label(r));
    if (b) out.push([b, r]);
    else unmatched.push(`current ${label(r)}: no baseline with that label`);
  }
  for (const [l] of byLabel) if (!cur.some((r) => label(r) === l)) unmatched.push(`baseline ${l}: not in the current runs`);
  return { pairs: out, unmatched };
}

/** Label of a run among others. */
const labelOf = (r: RunResult): string => labelRuns([r])[0].label;

/** An A/A run as pairs: an A/B run's own, or a plain run's neighbouring repetitions. */
function aaPairs(r: RunResult, options: Parameters<typeof compareAB>[1]): Comparison | string {
  if (isAB(r)) return compareAB({ label: labelOf(r), result: r }, options);
  const runs = r.options.runs ?? 1;
  if (runs < 6) return `${labelOf(r)}: ${runs} repetitions make ${Math.floor(runs / 2)} pairs; 3 or more pairs (--runs 6) are tested`;
  return compareAB({ label: `${labelOf(r)} (odd against even reps)`, result: splitPairs(r) }, options);
}

function exportRows(current: RunResult[]): ExportRow[] {
  return current.flatMap((r) =>
    runSpreads(r).map((x) => ({ ...x, strategy: current.length > 1 ? `${labelOf(r)} ${x.strategy}` : x.strategy })),
  );
}

export const compare: Command<CompareRequest> = {
  name: 'compare',
  summary: 'Compare runs: a verdict per strategy and metric, noise-aware, with family-wise error control.',
  usage: 'RUN (an A/B run)   |   BASELINE CURRENT   |   --aa RUNS...   [flags]   |   ... --export gab|bencher FILE',
  notes: [
    'An A/B run (bench --baseline-node | --baseline-strategy-file | --baseline-checkout) is compared pair by pair:\n' +
      'each repetition ran on both sides back to back, so machine drift cancels. Two runs are compared as two samples,\n' +
      'with the between-run noise of a noise profile (--noise; default: a shared 2-core machine) added to the test.\n' +
      'Speed (req/s, p50, p99) and cost (CPU per connection or request) are judged by ratio, fairness by difference;\n' +
      'a regression moved beyond its threshold and passed a one-sided trimmed-mean (Yuen) test, Holm-adjusted over every row.\n' +
      'New failures, timeouts, unaccounted or incomplete repetitions are regressions whatever the noise.\n' +
      'Runs whose settings differ are refused; a different platform, Node or checkout is what a comparison is for.\n' +
      'The method and its proof (false-alarm rate and power, simulated and measured): docs/verdicts.md',
  ],
  flags: FLAGS,
  positionals: true,
  examples: [
    'npm run compare -- results/20261123-120000-aaaa                   # an A/B run: baseline side against current',
    'npm run compare -- results/20261123-120000-aaaa results/20261123-130000-bbbb',
    'npm run compare -- baseline/ results/ --md compare.md            # folders of runs, paired by label',
    "npm run compare -- --aa results/aa/                                # this machine's noise: writes results/aa/noise.json",
    'npm run compare -- BASE CUR --noise results/aa/noise.json',
    'npm run compare -- BASE CUR --export bencher bench                 # bench.json in Bencher Metric Format',
  ],
  exitCodes: `0 no regression, 1 a regression, 2 bad usage or runs that cannot be compared, ${INTERRUPTED_EXIT}.`,
  parse: parseCompare,
  async run(o, { err, out, paint }) {
    const options = { thresholds: o.thresholds, alpha: o.alpha, noise: o.noise, fixed: o.fixed };
    const comparisons: Comparison[] = [];
    const notes: string[] = [];
    const runsGiven = o.paths.map(runsAt);
    const current = runsGiven[runsGiven.length - 1];
    if (o.aa) {
      const runs = runsGiven.flat();
      for (const r of runs) {
        const c = aaPairs(r, options);
        if (typeof c === 'string') notes.push(c);
        else comparisons.push(c);
      }
      // Separate runs of the same code, every two: what a baseline from another run (another VM) would see.
      const plain = runs.filter((r) => !isAB(r));
      for (let i = 0; i < plain.length; i++)
        for (let j = i + 1; j < plain.length; j++) {
          const differences = settingDifferences(plain[i], plain[j]);
          if (differences.length > 0) throw new UsageError(msg.notComparable(`--aa: ${differences.join('; ')}`));
          comparisons.push(compareRuns({ label: plain[i].runId, result: plain[i] }, { label: plain[j].runId, result: plain[j] }, options));
        }
    } else if (o.paths.length === 1) {
      const ab = current.length === 1 && isAB(current[0]);
      if (!ab && o.exportTo) {
        // Only the export of the run(s): nothing to compare.
      } else if (!ab)
        throw new UsageError(
          msg.reportArgs('one run is compared with itself only as an A/B run (bench --baseline-*); give BASELINE and CURRENT, or --aa'),
        );
      else comparisons.push(compareAB({ label: labelOf(current[0]), result: current[0] }, options));
    } else {
      const matched = pairs(runsGiven[0], current);
      const differences = matched.pairs.flatMap(([b, c]) => settingDifferences(b, c).map((d) => `${labelOf(c)}: ${d}`));
      if (differences.length > 0) throw new UsageError(msg.notComparable(differences.join('; ')));
      if (matched.pairs.length === 0) throw new UsageError(msg.reportArgs(`no runs to compare: ${matched.unmatched.join('; ')}`));
      notes.push(...matched.unmatched);
      for (const [b, c] of matched.pairs) {
        const [lb, lc] = labelRuns([b, c]);
        comparisons.push(compareRuns({ label: lb.label, result: b }, { label: lc.label, result: c }, options));
      }
      if (o.noiseFile === null) notes.push(`between-run noise: the default profile (${o.noise.description}); measure yours with --aa`);
    }
    for (const c of comparisons) err.write(`${compareTerminal(c, paint)}\n\n`);
    for (const n of notes) err.write(`  ! ${n}\n`);
    if (o.aa) {
      const runs = runsGiven.flat();
      const profile = withDetectable(profileFrom(runs, aaDescription(runs)), o.alpha);
      const first = o.paths[0];
      const dir = statSync(first).isDirectory() ? first : path.dirname(first);
      const file = path.join(dir, 'noise.json');
      writeOut(file, `${JSON.stringify(profile, null, 2)}\n`);
      const flagged = comparisons.filter((c) => regressions(c).length > 0).length;
      err.write(`\n${noiseTable(profile, o.alpha)}\n\n`);
      err.write(
        `  A/A: ${flagged} of ${comparisons.length} comparisons flagged a regression (expected at most ${o.alpha} of them by chance)\n`,
      );
      err.write(`  noise profile: ${file} (use it: npm run compare -- BASE CUR --noise ${file})\n`);
    }
    if (o.md) writeOut(o.md, comparisons.map(compareMarkdown).join('\n'));
    if (o.html) writeOut(o.html, compareHtml(comparisons));
    if (o.exportTo) {
      const rows = exportRows(current);
      const { format, file } = o.exportTo;
      if (format === 'gab') {
        const entries = gabEntries(rows);
        writeOut(`${file}-bigger.json`, `${JSON.stringify(entries.bigger, null, 2)}\n`);
        writeOut(`${file}-smaller.json`, `${JSON.stringify(entries.smaller, null, 2)}\n`);
        err.write(`  github-action-benchmark: ${file}-bigger.json (customBiggerIsBetter), ${file}-smaller.json (customSmallerIsBetter)\n`);
      } else {
        writeOut(`${file}.json`, `${JSON.stringify(bencherMetrics(rows), null, 2)}\n`);
        err.write(`  Bencher Metric Format: ${file}.json (bencher run --adapter json --file ${file}.json)\n`);
      }
    }
    if (o.json) out.write(`${JSON.stringify(comparisons.length === 1 ? comparisons[0] : comparisons, null, 2)}\n`);
    // A/A measures the noise: its "regressions" are false alarms, counted above, not a failure.
    return !o.aa && comparisons.some((c) => regressions(c).length > 0) ? 1 : 0;
  },
};

function aaDescription(runs: RunResult[]): string {
  const r = runs[0];
  const o = r.options;
  return `A/A on ${r.env.cpuModel} (${r.env.cores} cores, ${r.env.platform}, Node ${r.env.clusterNode ?? r.env.node}): ${runs.length} runs, ${o.workers} workers, ${o.load} ${'connections' in o ? `${o.connections}` : ''}${'rounds' in o ? ` x ${o.rounds}` : ''}, ${o.server}, ${o.work}`;
}
