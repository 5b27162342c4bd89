// The proxy's accept loop under descriptor pressure: every failed accept (EMFILE) is counted by
// name and none ends the primary (a second 'error' with no listener would throw).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { listenProxy } from '../../../../runner/cluster/proxy.js';

test('accept errors after listening are counted by name, however many; the server keeps serving', async () => {
  const { server, stats } = await listenProxy(() => [], { host: '127.0.0.1', port: 0, backlog: 16 });
  try {
    const emfile = Object.assign(new Error('accept EMFILE'), { code: 'EMFILE' });
    server.emit('error', emfile);
    server.emit('error', emfile);
    server.emit('error', Object.assign(new Error('accept ENFILE'), { code: 'ENFILE' }));
    assert.equal(stats.acceptErrors, { EMFILE: 2, ENFILE: 1 });
    assert.ok(server.listening);
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test('a listen error still rejects the start', async () => {
  const { server } = await listenProxy(() => [], { host: '127.0.0.1', port: 0, backlog: 16 });
  const port = (server.address() as { port: number }).port;
  try {
    await listenProxy(() => [], { host: '127.0.0.1', port, backlog: 16 }).then(
      () => assert.unreachable('the port is taken'),
      (err: NodeJS.ErrnoException) => assert.is(err.code, 'EADDRINUSE'),
    );
  } finally {
    await new Promise((r) => server.close(r));
  }
});

test.run();
