// A strategy as the simulator places connections: core's round-robin, the accept race (none and
// the shared handle, the same socket in every worker), reuseport and the proxy as models
// (engine.ts), the userland strategies (sticky and the user's own included) by their own picker code.
import { STRATEGIES, type StrategyName } from '../strategies/registry.js';
import type { DispatchStrategy, UserStrategy } from '../strategies/types.js';
import type { Placement } from './engine.js';

/** SCHED_NONE's wake-up order: which idle worker the kernel wakes for a new connection. */
export const WAKE_ORDERS = ['lifo', 'fifo', 'random'] as const;
export type WakeOrder = (typeof WAKE_ORDERS)[number];

/** Strategies the kernel places, with no primary on the connection's path. */
export const kernelPlaced = (name: string): boolean => name === 'none' || name === 'shared-handle' || name === 'reuseport';

const pickerOf = (def: DispatchStrategy | UserStrategy): Placement => ({
  kind: 'picker',
  picker: def.createPicker(),
  reports: 'needsRequests' in def && def.needsRequests ? 'requests' : def.needsCloses ? 'active' : 'none',
  address: 'needsAddress' in def && def.needsAddress === true,
});

/** A fresh placement for one simulated cluster. */
export function placementOf(strategy: StrategyName | UserStrategy, wake: WakeOrder = 'lifo'): Placement {
  if (typeof strategy !== 'string') return pickerOf(strategy);
  if (strategy === 'rr') return { kind: 'rr' };
  if (strategy === 'none' || strategy === 'shared-handle') return { kind: 'race', wake };
  if (strategy === 'reuseport') return { kind: 'reuseport' };
  if (strategy === 'proxy') return { kind: 'proxy' };
  const def = STRATEGIES[strategy];
  if (def.kind !== 'dispatch') throw new Error(`${strategy}: no placement model for kind ${def.kind}`);
  return pickerOf(def);
}
