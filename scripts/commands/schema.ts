// `npm run schema`: write docs/result.schema.json from format/schema.ts (the one source of the
// result format). A test fails when the committed file is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { RESULT_SCHEMA_FILE, resultJsonSchema } from '../../format/schema.js';
import { REPO_DIR } from '../../runner/run.js';
import { type Command, INTERRUPTED_EXIT } from '../lib/command.js';

export const schema: Command<{ check: boolean }> = {
  name: 'schema',
  summary: `Write ${RESULT_SCHEMA_FILE} (the result file's JSON Schema) from format/schema.ts.`,
  flags: { check: { type: 'boolean', description: `only check that ${RESULT_SCHEMA_FILE} is up to date (exit 1 if not)` } },
  examples: ['npm run schema', 'npm run schema -- --check'],
  exitCodes: `0 written (or up to date), 1 stale (--check), 2 bad usage, ${INTERRUPTED_EXIT}.`,
  parse: (values) => ({ check: values.check === true }),
  async run({ check }, { err }) {
    const file = path.join(REPO_DIR, RESULT_SCHEMA_FILE);
    const text = resultJsonSchema();
    if (check) {
      const same = readFileSync(file, 'utf8') === text;
      err.write(same ? `${RESULT_SCHEMA_FILE} is up to date\n` : `${RESULT_SCHEMA_FILE} is stale: run npm run schema\n`);
      return same ? 0 : 1;
    }
    writeFileSync(file, text);
    err.write(`wrote ${RESULT_SCHEMA_FILE}\n`);
    return 0;
  },
};
