import { compare } from './commands/compare.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(compare, process.argv.slice(2));
