import { runCommand } from '../scripts/lib/command.js';
import { perfVerdicts } from './commands/verdicts.js';

process.exitCode = await runCommand(perfVerdicts, process.argv.slice(2));
