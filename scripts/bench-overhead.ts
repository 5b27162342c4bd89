import { benchOverheadCommand } from './commands/bench-overhead.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(benchOverheadCommand, process.argv.slice(2));
