// The plain node:http app on a real socket (127.0.0.1, port 0).
import { once } from 'node:events';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildHttp } from '../../../servers/http.js';
import type { WorkerApp } from '../../../servers/types.js';

const apps: WorkerApp[] = [];
async function listen(instrument: boolean, pid = 4242): Promise<{ app: WorkerApp; port: number }> {
  const app = buildHttp({ instrument, work: { kind: 'hello' }, draw: () => 0, pid });
  apps.push(app);
  await app.ready();
  app.server.listen({ host: '127.0.0.1', port: 0 });
  await once(app.server, 'listening');
  return { app, port: (app.server.address() as AddressInfo).port };
}

test.after(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

interface Reply {
  status: number;
  body: string;
  pid: string | undefined;
  type: string | undefined;
  length: string | undefined;
}
function get(port: number, path = '/'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (s: string) => (body += s));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body,
          pid: res.headers['x-worker-pid'] as string | undefined,
          type: res.headers['content-type'],
          length: res.headers['content-length'],
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

test('GET / over a real connection: 200 "hello\\n", x-worker-pid = the pid option; requests and connections counted', async () => {
  const { app, port } = await listen(true, 4242);
  const replies = [await get(port), await get(port), await get(port)];
  assert.equal(replies, Array(3).fill({ status: 200, body: 'hello\n', pid: '4242', type: 'text/plain', length: '6' }));
  assert.equal(app.counters, { requests: 3, connections: 3 }, 'agent: false opens one connection per request');
});

test('the http app answers every path (no router): counted like the fastify app counts its 404s', async () => {
  const { app, port } = await listen(true, 9);
  const reply = await get(port, '/anything');
  assert.equal([reply.status, reply.pid], [200, '9']);
  assert.equal(app.counters, { requests: 1, connections: 1 });
});

test('instrument false: no pid header, nothing counted', async () => {
  const { app, port } = await listen(false);
  const reply = await get(port);
  assert.equal([reply.status, reply.body, reply.pid], [200, 'hello\n', undefined]);
  assert.equal(app.counters, { requests: 0, connections: 0 });
});

test('close() resolves with a connection still open (keep-alive) and the port refuses afterwards', async () => {
  const { app, port } = await listen(true);
  const { Agent } = await import('node:http');
  const agent = new Agent({ keepAlive: true });
  await new Promise<void>((resolve, reject) => {
    request({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', () => resolve()))
      .on('error', reject)
      .end();
  });
  await app.close();
  agent.destroy();
  const err = await get(port).then(
    () => null,
    (e: NodeJS.ErrnoException) => e.code,
  );
  assert.is(err, 'ECONNREFUSED');
});

test.run();
