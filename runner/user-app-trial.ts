// The trial thread of a user app (user-app.ts): import the module, build the app, listen on a
// loopback port and send it one GET /, here, off the runner's event loop, so an app that never
// loads or never answers can be stopped. Answers once: { kind, status } or { error } (one line).
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { buildUserApp, importApp } from '../servers/app.js';

const { file } = workerData as { file: string };

async function trial(): Promise<{ kind: string; status: number }> {
  const app = await importApp(file);
  const built = buildUserApp(app, { instrument: true, work: { kind: 'hello' }, draw: Math.random });
  try {
    await built.ready();
  } catch (err) {
    throw new Error(`it failed to start: ${String((err as Error)?.message ?? err).split('\n')[0]}`);
  }
  await new Promise<void>((resolve, reject) => {
    built.server.once('error', reject);
    built.server.listen({ host: '127.0.0.1', port: 0 }, resolve);
  });
  const { port } = built.server.address() as AddressInfo;
  const status = await new Promise<number>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', method: 'GET', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', (err) => reject(new Error(`a trial GET / failed: ${err.message}`)));
    req.end();
  });
  return { kind: app.kind, status };
}

trial().then(
  (r) => parentPort?.postMessage(r),
  (err: Error) => parentPort?.postMessage({ error: err.message }),
);
