import { main } from '../scripts/lib/command.js';
import { perfScale } from './commands/scale.js';

await main(perfScale, process.argv.slice(2));
