import { runCommand } from '../scripts/lib/command.js';
import { perfOverhead } from './commands/overhead.js';

process.exitCode = await runCommand(perfOverhead, process.argv.slice(2));
