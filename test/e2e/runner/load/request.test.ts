// freshRequest's clock: from the request's connection attempt, not from its construction (a burst
// builds all its requests in one synchronous loop, and the first ones would pay for the rest).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { freshRequest } from '../../../../runner/load/request.js';

test('time spent synchronously after building a request is not its latency; a given start time is', async () => {
  const server = createServer((_req, res) => res.writeHead(200, { 'x-worker-pid': '4242' }).end('hello\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const target = { host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  const clock = { origin: performance.now() };
  const signal = new AbortController().signal;
  try {
    const pending = freshRequest(target, 1, signal, clock);
    const busyUntil = performance.now() + 150;
    while (performance.now() < busyUntil); // what building 1000 more requests costs, and more
    const rec = await pending;
    assert.equal([rec.pid, rec.status, rec.error], [4242, 200, null]);
    assert.ok(rec.latencyUs < 100_000, `latency from the connection attempt: ${rec.latencyUs} µs, not the 150 ms before it`);
    // The open loop passes its scheduled send time: a late send still counts from its slot.
    const slot = performance.now() - 200;
    const late = await freshRequest(target, 1, signal, clock, slot);
    assert.ok(late.latencyUs >= 200_000, `from the scheduled time: ${late.latencyUs} µs`);
  } finally {
    server.close();
  }
});

test.run();
