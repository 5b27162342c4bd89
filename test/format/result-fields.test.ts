// Every required field of a real result file, removed in turn, and every field given a wrong type:
// `npm run report` on it (in process) exits 2 with one line naming the file and the JSON path, never a
// crash; test/e2e/format/result-fields.test.ts runs one case through the real CLI.
// The fixtures are result files the runner wrote (burst, 4 strategies; sustained, 2 strategies).
// Fields are found by walking the published schema beside the document, so a field added to the
// schema is covered without editing this test.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Value from 'typebox/value';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RunResultSchema } from '../../format/schema.js';
import { jsonPath } from '../../format/validate.js';
import { report } from '../../scripts/commands/report.js';
import { runCommand } from '../../scripts/lib/command.js';
import { tempDir } from '../reports/fixtures.js';

const FIXTURES = fileURLToPath(new URL('../../../test/fixtures/results/', import.meta.url));
const root = tempDir('csb-fields-');
test.after(() => rmSync(root, { recursive: true, force: true }));

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Node = Record<string, unknown>;

interface Field {
  /** JSON pointer of the field. */
  pointer: string;
  /** The schema node that describes it. */
  schema: Node;
  required: boolean;
}

/** The variant of a union (anyOf) that `value` is. */
const variant = (node: Node, value: Json): Node => {
  const branches = node.anyOf as Node[];
  const match = branches.find((b) => Value.Check(b as never, value));
  assert.ok(match, `the fixture matches a variant at ${JSON.stringify(node).slice(0, 80)}`);
  return match;
};

/** Every field under `value` as `schema` describes it; within an array only its first item (the others share its schema). */
function fields(schema: Node, value: Json, pointer = ''): Field[] {
  if (Array.isArray(schema.anyOf)) return fields(variant(schema, value), value, pointer);
  if (Array.isArray(schema.allOf)) return (schema.allOf as Node[]).flatMap((s) => fields(s, value, pointer));
  const out: Field[] = [];
  if (schema.type === 'object' && value && typeof value === 'object' && !Array.isArray(value)) {
    const props = (schema.properties ?? {}) as Record<string, Node>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [k, sub] of Object.entries(props)) {
      if (!(k in value)) continue;
      const p = `${pointer}/${k}`;
      out.push({ pointer: p, schema: sub, required: required.has(k) }, ...fields(sub, value[k], p));
    }
    const pattern = schema.patternProperties as Record<string, Node> | undefined;
    if (pattern) {
      const [sub] = Object.values(pattern);
      const [k] = Object.keys(value);
      if (k !== undefined) out.push({ pointer: `${pointer}/${k}`, schema: sub, required: false });
    }
  }
  if (schema.type === 'array' && Array.isArray(value) && value.length > 0) {
    const p = `${pointer}/0`;
    out.push({ pointer: p, schema: schema.items as Node, required: false }, ...fields(schema.items as Node, value[0], p));
  }
  return out;
}

function edit(doc: Json, pointer: string, f: (parent: Record<string, Json> | Json[], key: string) => void): Json {
  const copy = structuredClone(doc);
  const keys = pointer.split('/').slice(1);
  let node = copy as Record<string, Json>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, Json>;
  f(node, keys[keys.length - 1]);
  return copy;
}

/** A value of another JSON type than the field's. */
function wrongType(schema: Node, current: Json): Json {
  if (Array.isArray(schema.anyOf) || schema.const !== undefined) return { not: 'this' };
  switch (schema.type) {
    case 'string':
      return 42;
    case 'boolean':
      return 'yes';
    case 'array':
      return {};
    case 'object':
      return [current];
    default:
      return 'x'; // number, integer
  }
}

/** `npm run report DIR` in-process: exit code and stderr. */
async function reportOn(doc: Json, root: string, name: string): Promise<{ code: number; stderr: string }> {
  const dir = path.join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'result.json'), JSON.stringify(doc));
  let stderr = '';
  const err = new Writable({
    write: (chunk, _enc, cb) => {
      stderr += String(chunk);
      cb();
    },
  });
  const code = await runCommand(report, [dir], { err, out: err, signals: false });
  rmSync(dir, { recursive: true, force: true });
  return { code, stderr };
}

for (const fixture of ['burst-v1.json', 'sustained-v1.json']) {
  const doc = JSON.parse(readFileSync(path.join(FIXTURES, fixture), 'utf8')) as Json;
  const all = fields(RunResultSchema as unknown as Node, doc);

  test(`${fixture}: the real result file is valid and has ${all.filter((f) => f.required).length} required fields to remove`, async () => {
    assert.ok(all.filter((f) => f.required).length > 80, 'the walk found the fields');
    const r = await reportOn(doc, root, 'valid');
    assert.is(r.code, 0, r.stderr);
  });

  test(`${fixture}: removing each required field in turn: exit 2 and "<path>: required"`, async () => {
    let n = 0;
    for (const f of all.filter((x) => x.required && x.pointer !== '/schemaVersion')) {
      const bad = edit(doc, f.pointer, (parent, key) => void delete (parent as Record<string, Json>)[key]);
      const r = await reportOn(bad, root, `drop-${n++}`);
      const file = path.join(root, `drop-${n - 1}`, 'result.json');
      assert.is(r.code, 2, `${f.pointer}: ${r.stderr}`);
      assert.is(r.stderr, `error: bad result file ${file}: ${jsonPath(doc, f.pointer)}: required\n`, f.pointer);
    }
  });

  test(`${fixture}: each field with a value of the wrong type: exit 2, one line naming its path`, async () => {
    let n = 0;
    for (const f of all.filter((x) => x.pointer !== '/schemaVersion')) {
      const bad = edit(doc, f.pointer, (parent, key) => {
        (parent as Record<string, Json>)[key] = wrongType(f.schema, (parent as Record<string, Json>)[key]);
      });
      const r = await reportOn(bad, root, `type-${n++}`);
      assert.is(r.code, 2, `${f.pointer}: ${r.stderr}`);
      const where = jsonPath(doc, f.pointer);
      assert.match(r.stderr, /^error: bad result file \S+: /, f.pointer);
      assert.ok(r.stderr.includes(`: ${where}: expected `) || r.stderr.includes(`: ${where}.`), `${f.pointer}: ${r.stderr}`);
      assert.is(r.stderr.split('\n').length, 2, `one line: ${r.stderr}`);
    }
  });
}

test('schemaVersion: missing, newer, or not a number: exit 2 with the reason', async () => {
  const doc = JSON.parse(readFileSync(path.join(FIXTURES, 'burst-v1.json'), 'utf8')) as Record<string, Json>;
  const cases: Array<[Json, string]> = [
    [
      edit(doc, '/schemaVersion', (p, k) => void delete (p as Record<string, Json>)[k]),
      'no schemaVersion (not a cluster-sched-bench result file?)',
    ],
    [{ ...doc, schemaVersion: 2 }, 'unsupported schemaVersion 2 (this version reads 1)'],
    [{ ...doc, schemaVersion: '1' }, 'unsupported schemaVersion "1" (this version reads 1)'],
  ];
  for (const [bad, why] of cases) {
    const r = await reportOn(bad, root, 'v');
    assert.is(r.code, 2);
    assert.ok(r.stderr.endsWith(`result.json: ${why}\n`), r.stderr);
  }
});

test.run();
