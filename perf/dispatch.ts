import { runCommand } from '../scripts/lib/command.js';
import { perfDispatch } from './commands/dispatch.js';

process.exitCode = await runCommand(perfDispatch, process.argv.slice(2));
