import { simulateCommand } from './commands/simulate.js';
import { main } from './lib/command.js';

await main(simulateCommand, process.argv.slice(2));
