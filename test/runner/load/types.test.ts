// The load's target, as every load mode receives it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { resolved } from '../../../runner/load/types.js';

test('the target host is resolved once, before the load: localhost becomes an address', async () => {
  const t = await resolved({ host: 'localhost', port: 1 });
  assert.ok(t.host === '127.0.0.1' || t.host === '::1', t.host);
  assert.equal(await resolved({ host: '127.0.0.1', port: 2, path: '/x' }), { host: '127.0.0.1', port: 2, path: '/x' });
});

test.run();
