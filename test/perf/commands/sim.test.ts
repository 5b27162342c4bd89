// perf:sim: its modes refused without what they need, and a small grid that must order the
// strategies as queueing theory does, with charts vega-lite compiles.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from 'vega-lite';
import { perfSim } from '../../../perf/commands/sim.js';
import { GRID_DEFAULTS, GRID_STRATEGIES, grid } from '../../../perf/measure/sim.js';
import { gridSpecs } from '../../../perf/measure/sim-charts.js';

test('a mode is required; --check needs run folders; a stray argument is refused', () => {
  assert.throws(() => perfSim.parse({}, []), /give --theory, --grid, --question RUN or --check RUN/);
  assert.throws(() => perfSim.parse({ check: true }, []), /--check needs measured run folders/);
  assert.throws(() => perfSim.parse({ grid: true }, ['x']), /x/);
  assert.equal(perfSim.parse({ grid: true, requests: '20000' }, []).requests, 20_000);
});

test('a small grid: every strategy at or above the floor, random far above least-connections at 90%; charts compile', () => {
  const cells = grid({ ...GRID_DEFAULTS, sizes: [8], loads: [0.9], requests: 60_000 });
  assert.is(cells.length, GRID_STRATEGIES.length);
  for (const c of cells) assert.ok(c.p99x > 0.95, `${c.strategy}: p99 ${c.p99x} x the floor`);
  const at = (s: string) => cells.find((c) => c.strategy === s)?.p99x ?? Number.NaN;
  assert.ok(at('random') > 3 * at('least-connections'), `random ${at('random')} vs least-connections ${at('least-connections')}`);
  const specs = gridSpecs(cells);
  assert.equal(
    specs.map((s) => s.id),
    ['jain', 'top-share', 'p99', 'p999'],
  );
  for (const { spec } of specs) assert.ok(compile(spec).spec.marks !== undefined);
});

test.run();
