import { main } from '../runner/bench/dispatch.js';

process.exitCode = await main(process.argv.slice(2));
