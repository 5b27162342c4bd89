// Reading a result document: schema version (migrating older ones), then the schema from
// schema.ts. Reports trust nothing in a file: a bad one is a usage error (exit 2) naming the file
// and the first problem by its JSON path, e.g. `strategies[2].cpuMs: required`.
import Compile from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import { Settings } from 'typebox/system';
import { msg, UsageError } from './errors.js';
import { type RunResult, RunResultSchema, SCHEMA_VERSION, VARIANT_BY_PRESENCE } from './schema.js';

// Errors are collected only for a file that failed, and the one explained may sit behind many
// union alternatives: collect them all (TypeBox stops at 8 by default).
Settings.Set({ maxErrors: 100_000 });
const validator = Compile(RunResultSchema);

/**
 * One step per old version: MIGRATIONS[v] turns a version-v document into version v+1. Empty
 * while every file ever written is version 1; a breaking change adds its step here.
 */
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

type Doc = Record<string, unknown>;
const isObject = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
};

const segments = (pointer: string): string[] =>
  pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));

/** `/strategies/2/cpuMs` -> `strategies[2].cpuMs` (array items in brackets, object keys after dots); the document is `top level`. */
export function jsonPath(doc: unknown, pointer: string, child?: string): string {
  let out = '';
  let v = doc;
  for (const p of [...segments(pointer), ...(child === undefined ? [] : [child])]) {
    out += Array.isArray(v) ? `[${p}]` : out === '' ? p : `.${p}`;
    v = isObject(v) || Array.isArray(v) ? (v as Doc)[p] : undefined;
  }
  return out || 'top level';
}

function valueAt(doc: unknown, pointer: string): unknown {
  let v = doc;
  for (const p of segments(pointer)) v = isObject(v) || Array.isArray(v) ? (v as Doc)[p] : undefined;
  return v;
}

/** The schema node at a schemaPath such as `#/properties/strategies/items`. */
function schemaAt(pointer: string): Doc {
  let node: unknown = RunResultSchema;
  for (const p of segments(pointer.replace(/^#/, ''))) node = (node as Doc)[p];
  return node as Doc;
}

const TYPE_WORDS: Record<string, string> = {
  object: 'an object',
  array: 'an array',
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  null: 'null',
};
const typeWord = (t: unknown): string => (Array.isArray(t) ? t.map(typeWord).join(' or ') : (TYPE_WORDS[String(t)] ?? String(t)));

type Err = TLocalizedValidationError;
const branchOf = (e: Err, union: Err): number | null => {
  const m = new RegExp(`^${union.schemaPath.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/anyOf/(\\d+)`).exec(e.schemaPath);
  return m ? Number(m[1]) : null;
};
/** Errors not inside a union branch below `prefix` (those are weighed by `explainUnion`). */
const direct = (errors: readonly Err[], prefix: string): Err[] =>
  errors.filter((e) => !/\/anyOf\/\d+/.test(e.schemaPath.slice(prefix.length)));

/** One line for one error (not a union). */
function sentence(e: Err, doc: unknown): string {
  const p = e.params as Record<string, unknown>;
  const got = show(valueAt(doc, e.instancePath));
  switch (e.keyword) {
    case 'required':
      return `${jsonPath(doc, e.instancePath, String((p.requiredProperties as string[])[0]))}: required`;
    case 'type':
      return `${jsonPath(doc, e.instancePath)}: expected ${typeWord(p.type)}, got ${got}`;
    case 'const':
      return `${jsonPath(doc, e.instancePath)}: expected ${show(p.allowedValue)}, got ${got}`;
    case 'minimum':
    case 'maximum':
      return `${jsonPath(doc, e.instancePath)}: expected ${p.comparison} ${p.limit}, got ${got}`;
    default:
      return `${jsonPath(doc, e.instancePath)}: ${e.message}, got ${got}`;
  }
}

/**
 * A value matched no variant of a union. Nullable fields (`number | null`) say so in one line; a
 * discriminated union (options by `load`) rules out the variants whose tag differs; of the rest,
 * the variant with the fewest problems (the first on a tie) is the one the file meant.
 */
function explainUnion(union: Err, errors: readonly Err[], doc: unknown): string {
  const branches = new Map<number, Err[]>();
  for (const e of errors) {
    const b = branchOf(e, union);
    if (b !== null) branches.set(b, [...(branches.get(b) ?? []), e]);
  }
  const all = [...branches.entries()].sort((a, b) => a[0] - b[0]);
  // `number | null`, or a union of constants: each variant failed once, on the value itself.
  const only = (keyword: string): Array<Record<string, unknown>> | null =>
    all.every(([, es]) => es.length === 1 && es[0].keyword === keyword && es[0].instancePath === union.instancePath)
      ? all.map(([, es]) => es[0].params as Record<string, unknown>)
      : null;
  const here = `${jsonPath(doc, union.instancePath)}: expected`;
  const got = `got ${show(valueAt(doc, union.instancePath))}`;
  const types = only('type');
  // Variants of one type (two kinds of object) are named once: `expected an object`.
  if (types) return `${here} ${[...new Set(types.map((p) => typeWord(p.type)))].join(' or ')}, ${got}`;
  const consts = only('const');
  if (consts) return `${here} one of ${consts.map((p) => show(p.allowedValue)).join(', ')}, ${got}`;
  // The tag: a property every variant fixes to a constant (`load`). A variant whose tag differs is not the one meant.
  const constProps = (i: number): string[] =>
    Object.entries((schemaAt(`${union.schemaPath}/anyOf/${i}`).properties ?? {}) as Record<string, Doc>)
      .filter(([, p]) => 'const' in p)
      .map(([k]) => k);
  const tags = all.map(([i]) => constProps(i)).reduce((a, b) => a.filter((k) => b.includes(k)));
  const tagMismatch = (es: Err[]): Err | undefined =>
    es.find((e) => e.keyword === 'const' && tags.some((t) => e.instancePath === `${union.instancePath}/${t}`));
  const byPresence = schemaAt(union.schemaPath)[VARIANT_BY_PRESENCE];
  if (typeof byPresence === 'string') {
    const value = valueAt(doc, union.instancePath);
    const present = isObject(value) && byPresence in value;
    const requires = (i: number): boolean =>
      ((schemaAt(`${union.schemaPath}/anyOf/${i}`).required as string[] | undefined) ?? []).includes(byPresence);
    const meant = all.find(([i]) => requires(i) === present);
    if (meant) return explain(meant[1], `${union.schemaPath}/anyOf/${meant[0]}`, doc);
  }
  const tagged = all.filter(([, es]) => !tagMismatch(es));
  if (tagged.length === 0) {
    const mismatches = all.map(([, es]) => tagMismatch(es) as Err); // every variant has one here
    const tag = mismatches[0];
    const allowed = mismatches.map((e) => show((e.params as { allowedValue: unknown }).allowedValue)).join(', ');
    return `${jsonPath(doc, tag.instancePath)}: expected one of ${allowed}, got ${show(valueAt(doc, tag.instancePath))}`;
  }
  const weight = ([i, es]: [number, Err[]]): number => direct(es, `${union.schemaPath}/anyOf/${i}`).length;
  const [index, chosen] = tagged.reduce((best, b) => (weight(b) < weight(best) ? b : best));
  return explain(chosen, `${union.schemaPath}/anyOf/${index}`, doc);
}

function explain(errors: readonly Err[], prefix: string, doc: unknown): string {
  const first = direct(errors, prefix)[0];
  if (!first) return 'does not match the schema';
  return first.keyword === 'anyOf' ? explainUnion(first, errors, doc) : sentence(first, doc);
}

/** The first problem of a document against the current schema, or null when it is valid. */
export function firstProblem(doc: unknown): string | null {
  if (validator.Check(doc)) return null;
  return explain(validator.Errors(doc), '#', doc);
}

/** Bring an older document up to SCHEMA_VERSION; refuses newer and unversioned ones (the why, one line). */
export function migrate(doc: Doc, migrations: Readonly<Record<number, Migration>> = MIGRATIONS, target = SCHEMA_VERSION): Doc | string {
  const v = doc.schemaVersion;
  if (v === undefined) return 'no schemaVersion (not a cluster-sched-bench result file?)';
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > target)
    return `unsupported schemaVersion ${show(v)} (this version reads ${target === 1 ? '1' : `1 to ${target}`})`;
  let out = doc;
  for (let from = v; from < target; from++) {
    const step = migrations[from];
    if (!step) return `schemaVersion ${from} cannot be migrated (no step to ${from + 1})`;
    out = { ...step(out), schemaVersion: from + 1 };
  }
  return out;
}

/** Check a parsed result document (migrating an older version); returns it typed, or throws a UsageError naming `file`. */
export function validateResult(doc: unknown, file: string): RunResult {
  if (!isObject(doc)) throw new UsageError(msg.resultFile(file, `top level: expected a JSON object, got ${show(doc)}`));
  const current = migrate(doc);
  if (typeof current === 'string') throw new UsageError(msg.resultFile(file, current));
  const problem = firstProblem(current);
  if (problem !== null) throw new UsageError(msg.resultFile(file, problem));
  return current as RunResult;
}
