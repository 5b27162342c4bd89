// Every user command, as --help and a `cluster-sched-bench NAME` would list them. A command's
// `name` is its npm script (package.json), and test/scripts/help.test.ts holds every one to that.
// The tool's own benchmarks are perf/commands/index.ts (scripts/ may not import perf/).
import type { Command } from '../lib/command.js';
import { bench } from './bench.js';
import { compare } from './compare.js';
import { nodeGet } from './node-get.js';
import { report } from './report.js';
import { schema } from './schema.js';
import { serveCommand } from './serve.js';
import { simulateCommand } from './simulate.js';
import { testCommand } from './test.js';

export const COMMANDS: readonly Command<unknown>[] = [bench, serveCommand, report, compare, simulateCommand, schema, nodeGet, testCommand];
