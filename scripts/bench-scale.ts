import { benchScale } from './commands/bench-scale.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(benchScale, process.argv.slice(2));
