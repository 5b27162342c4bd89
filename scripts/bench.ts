import { main } from '../runner/run.js';

process.exitCode = await main(process.argv.slice(2));
