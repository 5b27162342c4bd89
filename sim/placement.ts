// A strategy as the simulator places connections: core's round-robin, the accept race (none) and
// reuseport as models (engine.ts), the userland strategies by their own picker code. The proxy,
// the shared handle and sticky are not modelled yet (issue 18).
import { STRATEGIES, type StrategyName } from '../strategies/registry.js';
import type { DispatchStrategy, UserStrategy } from '../strategies/types.js';
import type { Placement } from './engine.js';

/** The strategies the simulator can place with today. */
export const SIMULATED = [
  'rr',
  'none',
  'reuseport',
  'random',
  'least-connections',
  'p2c',
  'least-requests',
] as const satisfies readonly StrategyName[];

/** SCHED_NONE's wake-up order: which idle worker the kernel wakes for a new connection. */
export const WAKE_ORDERS = ['lifo', 'fifo', 'random'] as const;
export type WakeOrder = (typeof WAKE_ORDERS)[number];

const pickerOf = (def: DispatchStrategy | UserStrategy): Placement => ({
  kind: 'picker',
  picker: def.createPicker(),
  reports: 'needsRequests' in def && def.needsRequests ? 'requests' : def.needsCloses ? 'active' : 'none',
});

/** A fresh placement for one simulated cluster; null when the strategy is not modelled. */
export function placementOf(strategy: StrategyName | UserStrategy, wake: WakeOrder = 'lifo'): Placement | null {
  if (typeof strategy !== 'string') return pickerOf(strategy);
  if (strategy === 'rr') return { kind: 'rr' };
  if (strategy === 'none') return { kind: 'race', wake };
  if (strategy === 'reuseport') return { kind: 'reuseport' };
  const def = STRATEGIES[strategy];
  if (def.kind !== 'dispatch' || strategy === 'sticky') return null;
  return pickerOf(def);
}
