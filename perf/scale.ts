import { runCommand } from '../scripts/lib/command.js';
import { perfScale } from './commands/scale.js';

process.exitCode = await runCommand(perfScale, process.argv.slice(2));
