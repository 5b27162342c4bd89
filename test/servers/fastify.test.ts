// The fastify app without sockets, through inject().

import type { FastifyInstance } from 'fastify';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildFastifyApp } from '../../servers/fastify.js';
import type { Counters } from '../../servers/types.js';

const apps: FastifyInstance[] = [];
function app(instrument: boolean, pid = 4242): { app: FastifyInstance; counters: Counters } {
  const counters: Counters = { requests: 0, connections: 0 };
  const a = buildFastifyApp({ instrument, work: { kind: 'hello' }, draw: () => 0, pid }, counters);
  apps.push(a);
  return { app: a, counters };
}

test.after(async () => {
  await Promise.all(apps.map((a) => a.close()));
});

test('GET / answers 200 "hello\\n" as text/plain with x-worker-pid = the pid option, and is counted', async () => {
  const { app: a, counters } = app(true, 4242);
  const res = await a.inject({ method: 'GET', url: '/' });
  assert.equal(
    [res.statusCode, res.body, res.headers['x-worker-pid'], res.headers['content-type']],
    [200, 'hello\n', '4242', 'text/plain'],
  );
  assert.equal(counters, { requests: 1, connections: 0 }, 'inject() opens no connection');
});

test('every request is counted, 404s too (the client still saw this worker answer)', async () => {
  const { app: a, counters } = app(true, 7);
  const statuses: number[] = [];
  for (const url of ['/', '/nope', '/', '/favicon.ico', '/']) statuses.push((await a.inject({ method: 'GET', url })).statusCode);
  const notFound = await a.inject({ method: 'GET', url: '/missing' });
  assert.equal(statuses, [200, 404, 200, 404, 200]);
  assert.is(notFound.headers['x-worker-pid'], '7');
  assert.equal(counters, { requests: 6, connections: 0 });
});

test('instrument false: no pid header and nothing counted', async () => {
  const { app: a, counters } = app(false);
  const res = await a.inject({ method: 'GET', url: '/' });
  assert.equal([res.statusCode, res.body, res.headers['x-worker-pid']], [200, 'hello\n', undefined]);
  assert.equal(counters, { requests: 0, connections: 0 });
});

test('io work still answers "hello\\n" (after the wait)', async () => {
  const counters: Counters = { requests: 0, connections: 0 };
  const a = buildFastifyApp({ instrument: true, work: { kind: 'io', ms: 5 }, draw: () => 0, pid: 1 }, counters);
  apps.push(a);
  const res = await a.inject({ method: 'GET', url: '/' });
  assert.equal([res.statusCode, res.body, counters.requests], [200, 'hello\n', 1]);
});

test.run();
