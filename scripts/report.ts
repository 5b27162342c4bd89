import { main } from '../reports/cli.js';

process.exitCode = await main(process.argv.slice(2));
