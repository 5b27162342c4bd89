import { runCommand } from '../scripts/lib/command.js';
import { perfSim } from './commands/sim.js';

process.exitCode = await runCommand(perfSim, process.argv.slice(2));
