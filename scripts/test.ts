import { testCommand } from './commands/test.js';
import { main } from './lib/command.js';

await main(testCommand, process.argv.slice(2));
