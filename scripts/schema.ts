import { schema } from './commands/schema.js';
import { main } from './lib/command.js';

await main(schema, process.argv.slice(2));
