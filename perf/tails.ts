import { main } from '../scripts/lib/command.js';
import { perfTails } from './commands/tails.js';

await main(perfTails, process.argv.slice(2));
