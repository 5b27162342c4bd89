// The trial thread of a user strategy (user-strategy.ts): import the module, check it and try its
// picks here, off the runner's event loop, so one that never returns can be stopped. Answers once:
// { info } or { error } (one line).
import { parentPort, workerData } from 'node:worker_threads';
import { checkUserStrategy } from './user-strategy.js';

const { file } = workerData as { file: string };
checkUserStrategy(file).then(
  ({ supported: _, ...info }) => parentPort?.postMessage({ info }),
  (err: Error) => parentPort?.postMessage({ error: err.message }),
);
