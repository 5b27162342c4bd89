// ajv on the published docs/result.schema.json: the check a user of that file would run, by a
// validator we did not write.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { RESULT_SCHEMA_FILE, VARIANT_BY_PRESENCE } from '../../format/schema.js';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const publishedSchema = (): string => readFileSync(path.join(ROOT, RESULT_SCHEMA_FILE), 'utf8');

export function publishedValidator() {
  const ajv = new Ajv2020({ allErrors: true });
  ajv.addKeyword({ keyword: VARIANT_BY_PRESENCE, schemaType: 'string' }); // an annotation, no validation
  return ajv.compile(JSON.parse(publishedSchema()));
}
