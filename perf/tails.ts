import { runCommand } from '../scripts/lib/command.js';
import { perfTails } from './commands/tails.js';

process.exitCode = await runCommand(perfTails, process.argv.slice(2));
