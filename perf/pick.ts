import { main } from '../scripts/lib/command.js';
import { perfPick } from './commands/pick.js';

await main(perfPick, process.argv.slice(2));
