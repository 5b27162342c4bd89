import { main } from '../scripts/lib/command.js';
import { perfVerdicts } from './commands/verdicts.js';

await main(perfVerdicts, process.argv.slice(2));
