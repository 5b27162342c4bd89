import { report } from './commands/report.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(report, process.argv.slice(2));
