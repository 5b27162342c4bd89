import type { NativeStrategy } from './types.js';

export const rr: NativeStrategy = {
  name: 'rr',
  kind: 'native',
  policy: 'rr',
  description: 'native SCHED_RR: the primary accepts and hands connections round-robin to free workers',
  supported: () => null,
};
