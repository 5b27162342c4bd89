import { compare } from './commands/compare.js';
import { main } from './lib/command.js';

await main(compare, process.argv.slice(2));
