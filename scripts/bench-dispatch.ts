import { benchDispatch } from './commands/bench-dispatch.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(benchDispatch, process.argv.slice(2));
