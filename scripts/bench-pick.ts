import { benchPickCommand } from './commands/bench-pick.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(benchPickCommand, process.argv.slice(2));
