import { serveCommand } from './commands/serve.js';
import { main } from './lib/command.js';

await main(serveCommand, process.argv.slice(2));
