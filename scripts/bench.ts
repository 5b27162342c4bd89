import { bench } from './commands/bench.js';
import { main } from './lib/command.js';

await main(bench, process.argv.slice(2));
