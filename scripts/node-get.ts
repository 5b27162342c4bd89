import { nodeGet } from './commands/node-get.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(nodeGet, process.argv.slice(2));
