import { serveCommand } from './commands/serve.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(serveCommand, process.argv.slice(2));
