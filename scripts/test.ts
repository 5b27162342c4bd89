import { testCommand } from './commands/test.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(testCommand, process.argv.slice(2));
