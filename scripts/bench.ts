import { bench } from './commands/bench.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(bench, process.argv.slice(2));
