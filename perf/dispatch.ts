import { main } from '../scripts/lib/command.js';
import { perfDispatch } from './commands/dispatch.js';

await main(perfDispatch, process.argv.slice(2));
