// --clients K: how the load is split across K client processes (test/e2e/runner/clients.test.ts runs them).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { shareOf, splitEven } from '../../runner/load/clients.js';
import { resolveOptions } from '../../runner/options.js';

test('splitEven and shareOf: whole shares, the larger first; the open loop splits its rate; a client with none is left out', () => {
  assert.equal(splitEven(10, 3), [4, 3, 3]);
  assert.equal(splitEven(1000, 2), [500, 500]);
  assert.equal(splitEven(1, 2), [1, 0]);
  const burst = resolveOptions({ connections: 7, seed: 1 });
  assert.equal(
    [0, 1].map((i) => shareOf(burst, i, 2)?.connections),
    [4, 3],
  );
  const open = resolveOptions({ load: 'open', rate: 401, seed: 1 });
  assert.equal(
    [0, 1].map((i) => {
      const s = shareOf(open, i, 2);
      return s?.load === 'open' ? s.rate : null;
    }),
    [201, 200],
  );
  assert.is(shareOf(resolveOptions({ connections: 1, seed: 1 }), 1, 2), null);
});

test.run();
