// The published JSON Schema is the TypeBox schema, current, and an independent validator (ajv)
// agrees with ours on real result files. Migrations run step by step to the current version.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RESULT_SCHEMA_FILE, resultJsonSchema } from '../../format/schema.js';
import { migrate, validateResult } from '../../format/validate.js';
import { publishedSchema, publishedValidator, ROOT } from '../helpers/schema.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(ROOT, 'test', 'fixtures', 'results', name), 'utf8'));

test(`${RESULT_SCHEMA_FILE} is generated from format/schema.ts and up to date (npm run schema)`, () => {
  assert.ok(publishedSchema() === resultJsonSchema(), `${RESULT_SCHEMA_FILE} is stale: run npm run schema`);
});

test('ajv with the published schema accepts the real result files our validator accepts', () => {
  const validate = publishedValidator();
  for (const name of ['burst-v1.json', 'sustained-v1.json']) {
    const doc = fixture(name);
    validateResult(doc, name);
    assert.ok(validate(doc), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
  }
});

test('ajv and our validator both reject a result without strategies[2].cpuMs, at that path', () => {
  const doc = fixture('burst-v1.json') as { strategies: Array<Record<string, unknown>> };
  delete doc.strategies[2].cpuMs;
  const validate = publishedValidator();
  assert.is(validate(doc), false);
  assert.ok(
    validate.errors?.some(
      (e) =>
        e.instancePath === '/strategies/2' &&
        e.keyword === 'required' &&
        (e.params as { missingProperty: string }).missingProperty === 'cpuMs',
    ),
  );
  assert.throws(() => validateResult(doc, 'f.json'), /^bad result file f\.json: strategies\[2\]\.cpuMs: required$/);
});

test('migrate: every step from the file version to the target, in order; a missing step is named', () => {
  const steps = {
    1: (d: Record<string, unknown>) => ({ ...d, one: true }),
    2: (d: Record<string, unknown>) => ({ ...d, two: d.one === true }),
  };
  assert.equal(migrate({ schemaVersion: 1 }, steps, 3), { schemaVersion: 3, one: true, two: true });
  assert.equal(migrate({ schemaVersion: 2 }, steps, 3), { schemaVersion: 3, two: false });
  assert.is(migrate({ schemaVersion: 1 }, { 1: steps[1] }, 3), 'schemaVersion 2 cannot be migrated (no step to 3)');
  assert.is(migrate({ schemaVersion: 4 }, steps, 3), 'unsupported schemaVersion 4 (this version reads 1 to 3)');
  assert.equal(migrate({ schemaVersion: 1, x: 1 }), { schemaVersion: 1, x: 1 }, 'a current file passes unchanged');
});

test.run();
