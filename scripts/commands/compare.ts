// `npm run compare -- BASELINE CURRENT`: per strategy and metric, the change and a verdict
// (reports/compare.ts). Exit 1 on a regression, 0 otherwise, 2 on bad input or runs that cannot
// be compared (different load settings: each difference named).
//
// BASELINE and CURRENT are result files, run folders, or folders of run folders (CI: one per
// platform x Node); folders of runs are paired by label.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from '../../format/errors.js';
import { checkWritable, RESULT_FILE, readResult } from '../../format/io.js';
import type { RunResult } from '../../format/schema.js';
import {
  type Comparison,
  compareRuns,
  DEFAULT_ALPHA,
  DEFAULT_THRESHOLDS,
  METRIC_IDS,
  METRICS,
  type MetricId,
  noiseBand,
  regressions,
  runSpreads,
  settingDifferences,
  splitHalves,
  type Thresholds,
} from '../../reports/compare.js';
import { compareHtml, compareMarkdown, compareTerminal, gabEntries } from '../../reports/compare-text.js';
import { labelRuns } from '../../reports/data.js';
import type { Command, FlagValues } from '../lib/command.js';
import type { FlagDoc } from '../lib/flags.js';

const FLAGS = {
  aa: {
    type: 'boolean',
    description: 'A/A: compare one run (--runs 2 or more) with itself, odd against even repetitions: the noise band of this machine',
  },
  thresholds: {
    type: 'string',
    value: 'LIST',
    shown: Object.entries(DEFAULT_THRESHOLDS)
      .map(([k, v]) => `${k}=${v}`)
      .join(','),
    description: `how far a metric may move (fairness: absolute; speed: fraction), e.g. rps=0.05,p99=0.3 (metrics: ${METRIC_IDS.join(', ')})`,
  },
  alpha: { type: 'string', value: 'P', shown: String(DEFAULT_ALPHA), description: 'significance level of the t-test (3+ runs a side)' },
  config: { type: 'string', value: 'FILE', description: 'JSON file with { "thresholds": { "rps": 0.05, ... }, "alpha": 0.01 }; flags win' },
  md: { type: 'string', value: 'FILE', description: 'write the comparison as Markdown (GITHUB_STEP_SUMMARY, PR comments)' },
  html: { type: 'string', value: 'FILE', description: 'write the comparison as a self-contained HTML page' },
  json: { type: 'boolean', description: 'print the comparison as JSON on stdout' },
  export: {
    type: 'string',
    value: 'gab',
    description: 'with FILE after the runs: github-action-benchmark JSON of the current run (FILE-bigger.json, FILE-smaller.json)',
  },
} as const satisfies Record<string, FlagDoc>;

export interface CompareRequest {
  baseline: string | null;
  current: string;
  aa: boolean;
  thresholds: Thresholds;
  alpha: number;
  md?: string;
  html?: string;
  json: boolean;
  /** File prefix for github-action-benchmark output. */
  gab?: string;
}

const isMetricId = (k: string): k is MetricId => (METRIC_IDS as string[]).includes(k);
const isThreshold = (n: number): boolean => Number.isFinite(n) && n >= 0;

function parseThresholds(text: string, into: Thresholds): void {
  for (const part of text.split(',').filter(Boolean)) {
    const [k, v] = part.split('=');
    if (!isMetricId(k)) throw new UsageError(msg.metric(k, '--thresholds', METRIC_IDS.join(', ')));
    const n = Number(v);
    if (v === undefined || !isThreshold(n)) throw new UsageError(msg.threshold(part, k));
    into[k] = n;
  }
}

function fromConfig(file: string, thresholds: Thresholds): number | undefined {
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
      if (!isMetricId(k)) throw new UsageError(msg.config(file, msg.metric(k, 'thresholds', METRIC_IDS.join(', '))));
      if (typeof v !== 'number' || !isThreshold(v))
        throw new UsageError(msg.config(file, `thresholds.${k}: expected a number >= 0, got ${JSON.stringify(v)}`));
      thresholds[k] = v;
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
  const exportFormat = values.export as string | undefined;
  if (exportFormat !== undefined && exportFormat !== 'gab') throw new UsageError(msg.exportFormat(exportFormat));
  const gab = exportFormat ? args.pop() : undefined;
  if (exportFormat && !gab) throw new UsageError(msg.reportArgs('--export gab needs a FILE after the runs'));
  const aa = values.aa === true;
  const want = aa || (gab !== undefined && args.length === 1) ? 1 : 2;
  if (args.length !== want)
    throw new UsageError(
      msg.reportArgs(
        aa ? '--aa takes one run (a result folder or file)' : `give BASELINE and CURRENT (result folders or files), got ${args.length}`,
      ),
    );
  for (const a of args) if (!existsSync(a)) throw new UsageError(msg.compareArg(a, 'no such file or folder'));
  const thresholds = { ...DEFAULT_THRESHOLDS };
  const configAlpha = values.config === undefined ? undefined : fromConfig(String(values.config), thresholds);
  if (values.thresholds !== undefined) parseThresholds(String(values.thresholds), thresholds);
  for (const f of [values.md, values.html, ...(gab ? [`${gab}-bigger.json`, `${gab}-smaller.json`] : [])])
    if (typeof f === 'string') checkOutFile(f);
  return {
    baseline: want === 2 ? args[0] : null,
    current: args[want - 1],
    aa,
    thresholds,
    alpha: values.alpha === undefined ? (configAlpha ?? DEFAULT_ALPHA) : alphaOf(String(values.alpha), '--alpha'),
    md: values.md as string | undefined,
    html: values.html as string | undefined,
    json: values.json === true,
    gab,
  };
}

/** Every run under `p`: a result file, a run folder, or a folder of run folders (searched down). */
export function runsAt(p: string): RunResult[] {
  if (statSync(p).isFile()) return [readResult(p)];
  const files: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (existsSync(path.join(dir, RESULT_FILE))) files.push(path.join(dir, RESULT_FILE));
    else if (depth < 4)
      for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isDirectory()) walk(path.join(dir, e.name), depth + 1);
  };
  walk(p, 0);
  if (files.length === 0) throw new UsageError(msg.compareArg(p, `no ${RESULT_FILE} in it or below it`));
  return files.sort().map(readResult);
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

export const compare: Command<CompareRequest> = {
  name: 'compare',
  summary: 'cluster-sched-bench compare: a run against a baseline, per strategy and metric, with noise-aware verdicts',
  usage: 'BASELINE CURRENT [flags]   |   --aa RUN   |   ... --export gab FILE',
  notes: [
    'Fairness (Jain, CV, round skew, top share) is judged by absolute change, speed (req/s, p50, p99) by ratio.\n' +
      'With 3+ repetitions a side (bench --runs 3), a Welch t-test per metric decides whether a change is outside\n' +
      'the noise: beyond its threshold and p < alpha is a regression; beyond it but inside the noise is "worse".\n' +
      'Runs with different load settings are refused; a different platform or Node version is what a comparison is for.',
  ],
  flags: FLAGS,
  positionals: true,
  examples: [
    'npm run compare -- results/20261123-120000-aaaa results/20261123-130000-bbbb',
    'npm run compare -- baseline/ results/ --md compare.md            # folders of runs, paired by label',
    "npm run compare -- --aa results/20261123-120000-aaaa               # this machine's noise band",
    'npm run compare -- --thresholds rps=0.05,jain=0.01 BASE CUR --json',
    'npm run compare -- BASE CUR --export gab bench                     # bench-bigger.json, bench-smaller.json',
  ],
  exitCodes: '0 no regression, 1 a regression, 2 bad usage or runs that cannot be compared.',
  parse: parseCompare,
  async run(o, { err, out, paint }) {
    const current = runsAt(o.current);
    const options = { thresholds: o.thresholds, alpha: o.alpha };
    const comparisons: Comparison[] = [];
    const notes: string[] = [];
    if (o.aa) {
      if (current.length !== 1) throw new UsageError(msg.reportArgs('--aa takes one run, not a folder of runs'));
      const runs = current[0].options.runs ?? 1;
      if (runs < 2)
        throw new UsageError(
          msg.reportArgs(`--aa needs a run with --runs 2 or more (it has ${runs}; 6 gives 3 a side, enough for a t-test)`),
        );
      const [odd, even] = splitHalves(current[0]);
      comparisons.push(compareRuns({ label: 'odd repetitions', result: odd }, { label: 'even repetitions', result: even }, options));
    } else if (o.baseline !== null) {
      const matched = pairs(runsAt(o.baseline), current);
      const differences = matched.pairs.flatMap(([b, c]) => settingDifferences(b, c).map((d) => `${labelRuns([c])[0].label}: ${d}`));
      if (differences.length > 0) throw new UsageError(msg.notComparable(differences.join('; ')));
      if (matched.pairs.length === 0) throw new UsageError(msg.reportArgs(`no runs to compare: ${matched.unmatched.join('; ')}`));
      notes.push(...matched.unmatched);
      for (const [b, c] of matched.pairs) {
        const [lb, lc] = labelRuns([b, c]);
        comparisons.push(compareRuns({ label: lb.label, result: b }, { label: lc.label, result: c }, options));
      }
    }
    for (const c of comparisons) err.write(`${compareTerminal(c, paint)}\n\n`);
    for (const n of notes) err.write(`  ! ${n}\n`);
    if (o.aa && comparisons[0]) {
      const band = noiseBand(comparisons[0]);
      const text = METRIC_IDS.map(
        (m) => `${METRICS[m].label} ${METRICS[m].kind === 'speed' ? `${(band[m] * 100).toFixed(1)}%` : band[m].toFixed(4)}`,
      );
      err.write(`  noise band (largest |change| between the halves): ${text.join(', ')}\n`);
    }
    if (o.md) writeOut(o.md, comparisons.map(compareMarkdown).join('\n'));
    if (o.html) writeOut(o.html, compareHtml(comparisons));
    if (o.gab) {
      const entries = gabEntries(
        current.flatMap((r) =>
          runSpreads(r).map((x) => ({ ...x, strategy: current.length > 1 ? `${labelRuns([r])[0].label} ${x.strategy}` : x.strategy })),
        ),
      );
      writeOut(`${o.gab}-bigger.json`, `${JSON.stringify(entries.bigger, null, 2)}\n`);
      writeOut(`${o.gab}-smaller.json`, `${JSON.stringify(entries.smaller, null, 2)}\n`);
      err.write(`  github-action-benchmark: ${o.gab}-bigger.json (customBiggerIsBetter), ${o.gab}-smaller.json (customSmallerIsBetter)\n`);
    }
    if (o.json) out.write(`${JSON.stringify(comparisons.length === 1 ? comparisons[0] : comparisons, null, 2)}\n`);
    const flagged = comparisons.some((c) => regressions(c).length > 0);
    // A/A measures the noise: a "regression" between two halves of one run says the thresholds are too tight.
    if (o.aa && flagged)
      err.write('  A/A: changes between two halves of the same run passed the thresholds: loosen them, or use more runs\n');
    return flagged && !o.aa ? 1 : 0;
  },
};
