// Validate a result file before anything is rendered: schema version, required fields, types.
// Reports trust nothing in a result file; a bad file is a usage error (exit 2) naming the file
// and the first problem found, e.g. `strategies[1].rounds[3].counts.4101: expected a number, got "x"`.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { msg, UsageError } from '../runner/errors.js';
import { REQUESTS_FILE, RESULT_FILE } from '../runner/results-io.js';
import { SCHEMA_VERSION, type RunResult } from '../runner/results.js';

/** Throws a description of the problem at `at` (a JSON path), caught and turned into one line. */
type Check = (v: unknown, at: string) => void;

class Invalid extends Error {}

const show = (v: unknown): string => {
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};
const fail = (at: string, expected: string, v: unknown): never => {
  throw new Invalid(`${at || 'top level'}: expected ${expected}, got ${v === undefined ? 'nothing' : show(v)}`);
};
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const num: Check = (v, at) => (typeof v === 'number' && Number.isFinite(v) ? undefined : fail(at, 'a number', v));
const str: Check = (v, at) => (typeof v === 'string' ? undefined : fail(at, 'a string', v));
const bool: Check = (v, at) => (typeof v === 'boolean' ? undefined : fail(at, 'true or false', v));
const nullable = (c: Check): Check => (v, at) => (v === null ? undefined : c(v, at));
const arrayOf = (c: Check): Check => (v, at) => {
  if (!Array.isArray(v)) return fail(at, 'an array', v);
  v.forEach((item, i) => c(item, `${at}[${i}]`));
};
const recordOf = (c: Check): Check => (v, at) => {
  if (!isObject(v)) return fail(at, 'an object', v);
  for (const [k, item] of Object.entries(v)) c(item, `${at}.${k}`);
};

/** Marks a field that may be absent (but, when present, must pass `c`). */
interface Optional { optional: Check }
const opt = (c: Check): Optional => ({ optional: c });
const shape = (fields: Record<string, Check | Optional>): Check => (v, at) => {
  if (!isObject(v)) return fail(at, 'an object', v);
  for (const [k, c] of Object.entries(fields)) {
    const where = at ? `${at}.${k}` : k;
    if (typeof c === 'function') c(v[k], where);
    else if (v[k] !== undefined) c.optional(v[k], where);
  }
};

const latency = shape({ p50: num, p90: num, p99: num, p999: num, max: num, mean: num });

const strategy: Check = (v, at) => {
  shape({ name: str, kind: str, skipped: opt(str) })(v, at);
  if ((v as { skipped?: string }).skipped !== undefined) return; // a skipped strategy carries no measurements
  shape({
    description: str,
    workers: arrayOf(shape({ id: num, pid: num })),
    totals: shape({ sent: num, ok: num, errors: num, mismatches: num, accounted: bool }),
    perWorker: arrayOf(shape({ id: num, pid: num, client: num, server: num, connections: num, share: num, latencyMs: latency })),
    rounds: arrayOf(shape({ index: num, counts: recordOf(num), sent: num, ok: num, errors: num, topShare: num })),
    metrics: shape({ jain: num, cv: num, maxMin: nullable(num), topShare: num, roundSkew: num }),
    latencyMs: latency,
    latencyCurve: arrayOf(shape({ p: num, ms: num })),
    rps: num,
    wallMs: num,
    errorsByCode: recordOf(num),
    problems: arrayOf(str),
    series: opt(arrayOf(shape({ second: num, pid: num, count: num }))),
    warnings: opt(arrayOf(str)),
  })(v, at);
};

const run = shape({
  runId: str,
  startedAt: str,
  wallMs: num,
  env: shape({
    platform: str, release: str, arch: str, cpuModel: str, cores: num, node: str, hostname: str,
    schedPolicyEnv: opt(nullable(str)), gitCommit: opt(nullable(str)), label: opt(nullable(str)),
  }),
  options: shape({
    policies: arrayOf(str), workers: num, connections: num, rounds: num, load: str, server: str, seed: num,
    backlog: opt(num), work: opt(str),
  }),
  strategies: arrayOf(strategy),
  ok: bool,
});

/** Check a parsed result document; returns it typed, or throws a UsageError naming `file`. */
export function validateResult(doc: unknown, file: string): RunResult {
  try {
    if (!isObject(doc)) fail('', 'a JSON object', doc);
    const d = doc as Record<string, unknown>;
    if (d.schemaVersion === undefined) throw new Invalid('no schemaVersion (not a cluster-sched-bench result file?)');
    if (d.schemaVersion !== SCHEMA_VERSION)
      throw new Invalid(`unsupported schemaVersion ${show(d.schemaVersion)} (this version reads ${SCHEMA_VERSION})`);
    run(d, '');
    return d as unknown as RunResult;
  } catch (err) {
    if (err instanceof Invalid) throw new UsageError(msg.resultFile(file, err.message));
    throw err;
  }
}

export interface LoadedRun {
  /** The folder as given. */
  dir: string;
  result: RunResult;
  /** requests.csv exists beside result.json (linked from the page, never embedded). */
  hasRequests: boolean;
}

/** Read and validate `dir/result.json`. Reads only; throws a UsageError on any problem. */
export function loadRun(dir: string): LoadedRun {
  if (!existsSync(dir)) throw new UsageError(msg.runFolder(dir, 'no such folder'));
  if (!statSync(dir).isDirectory()) throw new UsageError(msg.runFolder(dir, 'not a folder (give a results/<run-id> folder)'));
  const file = path.join(dir, RESULT_FILE);
  if (!existsSync(file)) throw new UsageError(msg.runFolder(dir, `no ${RESULT_FILE} in it`));
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(msg.resultFile(file, `not valid JSON (${(err as Error).message.split('\n')[0]})`));
  }
  return { dir, result: validateResult(doc, file), hasRequests: existsSync(path.join(dir, REQUESTS_FILE)) };
}
