import { runCommand } from '../scripts/lib/command.js';
import { perfPick } from './commands/pick.js';

process.exitCode = await runCommand(perfPick, process.argv.slice(2));
