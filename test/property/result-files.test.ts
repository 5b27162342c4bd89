// Property: a result file mutated at random (a key deleted at any depth, a value replaced by any
// JSON value or retyped, a number pushed to its edges, an array cut short or an entry doubled, a
// key renamed, a string field given any text, the file's text cut, emptied or garbled) is read by
// `npm run compare` and `npm run report` without a crash: exit 0, 1 (compare only: a regression,
// no `error:`, never against itself), or 2 with one line `error: bad result file FILE: PATH: ...`
// naming the mutated file and a JSON path that is there (or the key that is missing), and then
// nothing written (no report.html, no --md / --html file).
// The starting points are the real result files in test/fixtures/results (burst, sustained).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { test } from 'uvu';
import { compare } from '../../scripts/commands/compare.js';
import { report } from '../../scripts/commands/report.js';
import type { Command } from '../../scripts/lib/command.js';
import { fail, notOneErrorLine, type Ran, runInProcess, runs, SEED } from '../helpers/property.js';
import { ROOT } from '../helpers/schema.js';
import { tempDir } from '../reports/fixtures.js';

const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'results');
const root = tempDir('csb-prop-files-');
test.after(() => rmSync(root, { recursive: true, force: true }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Key = string | number;

const isContainer = (v: Json): v is Json[] | { [k: string]: Json } => typeof v === 'object' && v !== null;

/**
 * Every location in `doc` (the document itself is []) for which `keep` holds, in groups so that a
 * pick is not drowned by the thousands of round entries: by depth, or by `group`.
 */
function locations(
  doc: Json,
  keep: (v: Json) => boolean = () => true,
  group: (at: Key[]) => string = (at) => String(at.length),
): Key[][][] {
  const groups = new Map<string, Key[][]>();
  const walk = (v: Json, at: Key[]): void => {
    if (keep(v)) {
      const g = group(at);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)?.push(at);
    }
    if (Array.isArray(v)) for (const [i, x] of v.entries()) walk(x, [...at, i]);
    else if (isContainer(v)) for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(doc, []);
  return [...groups.values()];
}

/** A string is picked by its key (`name`, `label`, `problems[]`...): the few that are shown (names, labels) are as likely as the many that are not. */
const byKey = (at: Key[]): string => {
  const last = at[at.length - 1];
  return typeof last === 'number' ? `${String(at[at.length - 2])}[]` : String(last);
};

/** The locations an operation works on: a number for `number`, an array for `truncate` and `duplicate`... (the file stays valid more often). */
const TARGETS: Record<DocMutation['op'], (v: Json) => boolean> = {
  delete: () => true,
  replace: () => true,
  retype: () => true,
  rename: () => true,
  number: (v) => typeof v === 'number',
  string: (v) => typeof v === 'string',
  truncate: Array.isArray,
  duplicate: Array.isArray,
};

/** A location as a reader writes it: `strategies[2].cpuMs`; the document is `top level`. */
function pathText(doc: Json, at: readonly Key[]): string {
  let out = '';
  let v: Json | undefined = doc;
  for (const k of at) {
    out += Array.isArray(v) ? `[${k}]` : out === '' ? String(k) : `.${k}`;
    v = isContainer(v as Json) ? (v as Record<string, Json>)[k] : undefined;
  }
  return out || 'top level';
}

const EDGE_NUMBERS = [0, -1, -0.5, 0.5, 1, 1e308, -1e308, 2 ** 53 + 2, 4294967296, 1e-9, 123456789.123];

/** One change to a parsed document; `group` and `index` pick the location (modulo what is there). */
type DocMutation =
  | { op: 'delete' | 'retype' | 'duplicate' | 'truncate'; group: number; index: number; n: number }
  | { op: 'replace'; group: number; index: number; value: Json }
  | { op: 'number'; group: number; index: number; value: number }
  | { op: 'string' | 'rename'; group: number; index: number; text: string };

/** A change to the file's text, after the document's. */
type TextMutation =
  | { op: 'cut'; fraction: number }
  | { op: 'empty' }
  | { op: 'garbage'; text: string }
  | { op: 'flip'; fraction: number; char: string };

const at = { group: fc.nat({ max: 40 }), index: fc.nat() };
/** Strings that break output written without care: line breaks of every kind, markup, escapes, table separators, nothing, a lot. */
const nasty = fc.oneof(
  fc.constantFrom('a\nb', '\n', 'x\r\n', '\r', '\u2028', 'a\u2029b', '\u0085', '\v\f'),
  fc.constantFrom('', ' ', '\t', '\u0000', '\u001b[31mred', '<script>x</script>', '| a | b |', '`*_#', '&amp;', '"\'\\', '💥', '\ud800'),
  fc.constantFrom('x'.repeat(5000), '../../etc/passwd', 'rr', 'none', '__proto__', 'constructor', 'datum.x', "'+1+'"),
);
const docMutation: fc.Arbitrary<DocMutation> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('delete' as const), ...at, n: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({ op: fc.constant('replace' as const), ...at, value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }),
  },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('retype' as const), ...at, n: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('number' as const),
      ...at,
      value: fc.oneof(fc.constantFrom(...EDGE_NUMBERS), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer()),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('truncate' as const), ...at, n: fc.nat({ max: 3 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('duplicate' as const), ...at, n: fc.nat() }) },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('string' as const),
      ...at,
      text: fc.oneof(nasty, fc.string({ unit: 'binary', maxLength: 10 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rename' as const), ...at, text: fc.string({ maxLength: 8 }) }) },
);
const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ op: fc.constant('cut' as const), fraction: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ op: fc.constant('empty' as const) }),
  fc.record({ op: fc.constant('garbage' as const), text: fc.string({ unit: 'binary', maxLength: 30 }) }),
  fc.record({
    op: fc.constant('flip' as const),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
    char: fc.constantFrom('{', '}', '"', ',', ':', ']', 'x', '\u0000', '\n'),
  }),
);
/** One to three changes to the document, and one time in six a change to its text. */
const mutations = fc.record({
  doc: fc.array(docMutation, { minLength: 1, maxLength: 3 }),
  text: fc.oneof({ weight: 5, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: textMutation }),
});

/** The value of another JSON type. */
function retyped(v: Json, n: number): Json {
  if (typeof v === 'number') return [String(v), null, v > 0, [v]][n % 4];
  if (typeof v === 'string') return [Number(v) || 7, null, v.length > 0, { v }][n % 4];
  if (typeof v === 'boolean') return [String(v), Number(v), null][n % 3];
  if (v === null) return [0, '', false, {}][n % 4];
  if (Array.isArray(v)) return [{}, v.length, null, JSON.stringify(v)][n % 4];
  return [[v], Object.keys(v).length, null, 'object'][n % 4];
}

/** `doc` with the mutation applied (a copy: the fixture stays as it was). */
function applyDoc(doc: Json, m: DocMutation): Json {
  const groups = m.op === 'string' ? locations(doc, TARGETS[m.op], byKey) : locations(doc, TARGETS[m.op]);
  if (groups.length === 0) return doc;
  const group = groups[m.group % groups.length];
  const loc = group[m.index % group.length];
  if (loc.length === 0) {
    // The document itself.
    if (m.op === 'replace') return m.value;
    if (m.op === 'retype') return retyped(doc, m.n);
    return m.op === 'delete' ? {} : doc;
  }
  const copy = structuredClone(doc) as Record<Key, Json>;
  const parent = loc.slice(0, -1).reduce<Record<Key, Json>>((v, k) => v[k] as Record<Key, Json>, copy);
  const key = loc[loc.length - 1];
  const value = parent[key];
  switch (m.op) {
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'replace':
      parent[key] = m.value;
      break;
    case 'retype':
      parent[key] = retyped(value, m.n);
      break;
    case 'number':
      parent[key] = m.value;
      break;
    case 'string':
      parent[key] = m.text;
      break;
    case 'rename':
      if (Array.isArray(parent)) parent[key] = m.text;
      else {
        delete parent[key];
        parent[m.text] = value;
      }
      break;
    case 'truncate':
      (value as Json[]).length = Math.min((value as Json[]).length, m.n);
      break;
    case 'duplicate': {
      const arr = value as Json[];
      if (arr.length > 0) arr.splice(m.n % arr.length, 0, structuredClone(arr[m.n % arr.length]));
      break;
    }
  }
  return copy;
}

function applyText(text: string, m: TextMutation | null): string {
  if (m === null) return text;
  const i = Math.floor(m.op === 'cut' || m.op === 'flip' ? m.fraction * text.length : 0);
  switch (m.op) {
    case 'cut':
      return text.slice(0, i);
    case 'empty':
      return '';
    case 'garbage':
      return m.text;
    case 'flip':
      return text.slice(0, i) + m.char + text.slice(i + 1);
  }
}

interface Mutated {
  text: string;
  /** The document as written, when the text is still JSON. */
  doc: Json | undefined;
}

function mutate(fixture: string, m: { doc: DocMutation[]; text: TextMutation | null }): Mutated {
  const doc = m.doc.reduce(applyDoc, JSON.parse(readFileSync(path.join(FIXTURES, fixture), 'utf8')) as Json);
  const text = applyText(`${JSON.stringify(doc, null, 2)}\n`, m.text);
  let parsed: Json | undefined;
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    parsed = undefined;
  }
  return { text, doc: parsed };
}

/** Every location of `doc` as a reader names it. */
function pathTexts(doc: Json): Set<string> {
  return new Set(locations(doc).flatMap((ls) => ls.map((l) => pathText(doc, l))));
}

/**
 * What is wrong with an exit-2 line about the mutated `file` (null: nothing). It must name the
 * file, then: the text is not JSON, the top level or schemaVersion is wrong, or a path that is in
 * the document (or a missing key of one that is: `strategies[2].cpuMs: required`).
 */
function badFileLine(stderr: string, file: string, m: Mutated): string | null {
  const line = stderr.slice(0, -1);
  const prefix = `error: bad result file ${file}: `;
  if (!line.startsWith(prefix)) return `does not name the file: ${line}`;
  const why = line.slice(prefix.length);
  if (m.doc === undefined) return why.startsWith('not valid JSON (') ? null : `not JSON, but: ${why}`;
  if (/^(top level: |no schemaVersion |unsupported schemaVersion )/.test(why)) return null;
  const there = [...pathTexts(m.doc)];
  const named = there.some((p) => {
    if (why.startsWith(`${p}: `)) return true;
    // A key the schema requires, missing here: the path of its object, then its name.
    if (p === 'top level') return /^[A-Za-z]\w*: required$/.test(why);
    return why.startsWith(p) && /^\.[A-Za-z]\w*: required$/.test(why.slice(p.length));
  });
  return named ? null : `names no path of the document: ${why}`;
}

async function runOn<T>(c: Command<T>, argv: string[]): Promise<Ran> {
  try {
    return await runInProcess(c, argv);
  } catch (e) {
    throw new Error(`${c.name} threw: ${(e as Error).stack}\n  argv: ${JSON.stringify(argv)}`);
  }
}

let n = 0;
const caseDir = (): string => {
  const dir = path.join(root, `case-${n++}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

type Side = 'current' | 'baseline' | 'both';
type Output = 'json' | 'md' | 'html';

/** `compare` with the mutated file on one side (the real one on the other) or on both, and the outputs asked for. */
async function compareCase(real: string, mutated: Mutated, side: Side, output: readonly Output[]): Promise<void> {
  const dir = caseDir();
  const file = path.join(dir, 'result.json');
  writeFileSync(file, mutated.text);
  const argv = [
    ...{ current: [real, file], baseline: [file, real], both: [file, file] }[side],
    ...(output.includes('json') ? ['--json'] : []),
    ...(output.includes('md') ? ['--md', path.join(dir, 'compare.md')] : []),
    ...(output.includes('html') ? ['--html', path.join(dir, 'compare.html')] : []),
  ];
  const r = await runOn(compare, argv);
  const written = readdirSync(dir).filter((f) => f !== 'result.json');
  rmSync(dir, { recursive: true, force: true });
  if (r.code === 0 || r.code === 1) {
    if (/^error:/m.test(r.err)) throw fail(`exit ${r.code} with an error line`, argv, r);
    // A run compared with itself has not regressed.
    if (r.code === 1 && side === 'both') throw fail('a run against itself: exit 1', argv, r);
    if (r.code === 1 && !/\d+ regressions?: /.test(r.err)) throw fail('exit 1 without a regression named', argv, r);
    if (output.includes('json')) JSON.parse(r.out);
    if (written.length !== output.filter((o) => o !== 'json').length) throw fail(`asked for ${output}, written: ${written}`, argv, r);
    return;
  }
  if (r.code !== 2) throw fail(`exit ${r.code}`, argv, r);
  const wrong = notOneErrorLine(r.err);
  if (wrong) throw fail(wrong, argv, r);
  if (written.length > 0 || r.out !== '') throw fail(`exit 2 but written: ${[...written, r.out.slice(0, 20)]}`, argv, r);
  // A valid file whose load settings changed is refused as such, the difference named.
  if (side !== 'both' && r.err.startsWith('error: runs with different load settings cannot be compared: ')) return;
  const why = badFileLine(r.err, file, mutated);
  if (why) throw fail(why, argv, r);
}

/** `report` on the mutated file's folder: in place, or a site (--out). */
async function reportCase(mutated: Mutated, site: boolean): Promise<void> {
  const dir = caseDir();
  const run = path.join(dir, 'run');
  const out = path.join(dir, 'site');
  mkdirSync(run);
  const file = path.join(run, 'result.json');
  writeFileSync(file, mutated.text);
  const argv = site ? [run, '--out', out] : [run];
  const r = await runOn(report, argv);
  const written = [...readdirSync(run).filter((f) => f !== 'result.json'), ...(existsSync(out) ? readdirSync(out) : [])];
  rmSync(dir, { recursive: true, force: true });
  if (r.code === 0) {
    const page = site ? 'index.html' : 'report.html';
    if (!written.includes(page)) throw fail(`exit 0 but no ${page}`, argv, r);
    return;
  }
  if (r.code !== 2) throw fail(`exit ${r.code}`, argv, r);
  const wrong = notOneErrorLine(r.err);
  if (wrong) throw fail(wrong, argv, r);
  const why = badFileLine(r.err, file, mutated);
  if (why) throw fail(why, argv, r);
  if (written.length > 0) throw fail(`exit 2 but written: ${written.join(', ')}`, argv, r);
}

/** One to three string fields given any text, often one that breaks output written without care: the file mostly stays valid. */
const textEdit = fc
  .array(
    fc.record({
      op: fc.constant('string' as const),
      group: fc.nat({ max: 40 }),
      index: fc.nat(),
      text: fc.oneof({ weight: 3, arbitrary: nasty }, fc.string({ unit: 'binary', maxLength: 20 })),
    }),
    { minLength: 1, maxLength: 3 },
  )
  .map((doc) => ({ doc, text: null }));

const sides = fc.constantFrom<Side>('current', 'baseline', 'both');
const outputs = fc.subarray<Output>(['json', 'md', 'html']);
const options = (numRuns: number) => ({ seed: SEED, numRuns: runs(numRuns), includeErrorInReport: true });

for (const fixture of ['burst-v1.json', 'sustained-v1.json']) {
  const real = path.join(FIXTURES, fixture);

  test(`compare ${fixture} with a mutation of it (either side, or both): exit 0, 1 (a regression) or 2 naming the file and path, nothing written (150 runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(mutations, sides, outputs, (m, side, output) => compareCase(real, mutate(fixture, m), side, output)),
      options(150),
    );
  });

  test(`compare ${fixture} with any text in one of its string fields (names, labels, problems...), against itself: exit 0 or 2, every output written (100 runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(textEdit, (m) => compareCase(real, mutate(fixture, m), 'both', ['json', 'md', 'html'])),
      options(100),
    );
  });

  test(`report on a mutation of ${fixture}: exit 0 with the page, or 2 naming the file and path and nothing written (15 runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(mutations, textEdit), fc.boolean(), (m, site) => reportCase(mutate(fixture, m), site)),
      options(15),
    );
  });
}

test.run();
