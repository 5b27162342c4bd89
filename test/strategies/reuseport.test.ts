// reuseport's support check: where the kernel balances SO_REUSEPORT listeners and Node can ask for it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { reusePortSupport } from '../../strategies/reuseport.js';

test('the support check names what is missing', () => {
  assert.is(reusePortSupport('linux', 'v22.12.0'), null);
  assert.is(reusePortSupport('freebsd', 'v24.1.0'), null);
  assert.match(reusePortSupport('linux', 'v22.11.0') ?? '', 'needs Node >= 22.12 for listen({ reusePort }) (this cluster runs v22.11.0');
  assert.match(reusePortSupport('darwin', 'v24.1.0') ?? '', 'needs SO_REUSEPORT load balancing (Linux or FreeBSD)');
  assert.match(reusePortSupport('win32', 'v24.1.0') ?? '', 'win32 has no such option');
});

test.run();
