import { benchTails } from './commands/bench-tails.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(benchTails, process.argv.slice(2));
