// A strategy as the simulator places connections: core's round-robin as a model (engine.ts), the
// userland strategies by their own picker code. The accept race (none), reuseport, the proxy and
// the shared handle are not modelled yet (issue 18).
import { STRATEGIES, type StrategyName } from '../strategies/registry.js';
import type { DispatchStrategy, UserStrategy } from '../strategies/types.js';
import type { Placement } from './engine.js';

/** The strategies the simulator can place with today. */
export const SIMULATED = ['rr', 'random', 'least-connections', 'p2c', 'least-requests'] as const satisfies readonly StrategyName[];

const pickerOf = (def: DispatchStrategy | UserStrategy): Placement => ({
  kind: 'picker',
  picker: def.createPicker(),
  reports: 'needsRequests' in def && def.needsRequests ? 'requests' : def.needsCloses ? 'active' : 'none',
});

/** A fresh placement for one simulated cluster; null when the strategy is not modelled. */
export function placementOf(strategy: StrategyName | UserStrategy): Placement | null {
  if (typeof strategy !== 'string') return pickerOf(strategy);
  if (strategy === 'rr') return { kind: 'rr' };
  const def = STRATEGIES[strategy];
  if (def.kind !== 'dispatch' || strategy === 'sticky') return null;
  return pickerOf(def);
}
