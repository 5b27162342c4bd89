// least-requests, the workers' side on a real server (127.0.0.1, port 0): what trackRequests
// reports to the primary. The pick and the dispatcher's queue: test/strategies/least-requests.test.ts.
import { Agent, createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LOAD } from '../../../runner/cluster/dispatch.js';
import { trackRequests } from '../../../runner/cluster/dispatch-worker.js';
import { within } from '../../helpers/wait.js';

test("a connection's first request is not reported (the primary counted it), a keep-alive one is at once; ends once per tick", async () => {
  const msgs: Array<{ inflight: number; taken: number }> = [];
  // The batched end report runs on setImmediate, as in a worker; each run resolves the next waiter.
  const waiters: Array<() => void> = [];
  const reported = (): Promise<void> => new Promise((r) => waiters.push(r));
  const server = createServer((_req, res) => res.end('x'));
  trackRequests(
    server,
    () => 1,
    (m) => msgs.push(m as { inflight: number; taken: number }),
    (report) =>
      setImmediate(() => {
        report();
        waiters.shift()?.();
      }),
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const one = (): Promise<void> => new Promise((r) => get({ host: '127.0.0.1', port, agent }, (res) => res.resume().on('end', r)));
  let flushed = reported();
  await one();
  await within(flushed, 5000, "the first request's end reported");
  assert.equal(msgs, [{ type: LOAD, inflight: 0, taken: 1 }], 'first request: only its end');
  flushed = reported();
  await one();
  await within(flushed, 5000, "the second request's end reported");
  assert.equal(msgs.slice(1), [
    { type: LOAD, inflight: 1, taken: 1 },
    { type: LOAD, inflight: 0, taken: 1 },
  ]);
  agent.destroy();
  await new Promise((r) => server.close(r));
});

test.run();
