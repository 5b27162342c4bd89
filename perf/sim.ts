import { main } from '../scripts/lib/command.js';
import { perfSim } from './commands/sim.js';

await main(perfSim, process.argv.slice(2));
