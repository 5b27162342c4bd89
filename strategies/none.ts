import type { NativeStrategy } from './types.js';

export const none: NativeStrategy = {
  name: 'none',
  kind: 'native',
  policy: 'none',
  description: 'native SCHED_NONE: workers share the listen socket and race on accept() (OS decides)',
  supported: () => null,
};
