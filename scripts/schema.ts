import { schema } from './commands/schema.js';
import { runCommand } from './lib/command.js';

process.exitCode = await runCommand(schema, process.argv.slice(2));
