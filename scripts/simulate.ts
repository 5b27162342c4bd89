import { simulateCommand } from './commands/simulate.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(simulateCommand, process.argv.slice(2));
