import { main } from '../scripts/lib/command.js';
import { perfOverhead } from './commands/overhead.js';

await main(perfOverhead, process.argv.slice(2));
