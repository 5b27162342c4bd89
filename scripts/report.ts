import { report } from './commands/report.js';
import { main } from './lib/command.js';

await main(report, process.argv.slice(2));
