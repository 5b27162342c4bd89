import { nodeGet } from './commands/node-get.js';
import { main } from './lib/command.js';

await main(nodeGet, process.argv.slice(2));
