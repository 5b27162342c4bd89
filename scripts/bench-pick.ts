import { benchPick } from '../runner/bench/pick.js';

console.log(`pick() cost per strategy, with its load bookkeeping (tinybench, batches of 1000, Node ${process.version})\n`);
console.log(await benchPick());
