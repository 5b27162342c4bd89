#!/usr/bin/env node
// The installed command (package.json `bin`: cluster-sched-bench, csb). Plain JavaScript, so it
// runs before anything is compiled: it points at `npm run build` when dist/ is missing.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/scripts/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("error: cluster-sched-bench is not built (no dist/scripts/cli.js): run 'npm run build' in its folder\n");
  process.exit(1);
}
process.setSourceMapsEnabled(true);
const { cli: run } = await import(cli.href);
await run(process.argv.slice(2));
