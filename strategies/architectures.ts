import type { ArchitectureStrategy } from './types.js';

export const proxy: ArchitectureStrategy = {
  name: 'proxy',
  kind: 'proxy',
  description:
    'architecture: the primary accepts and proxies each connection at TCP level to a worker on its own port (round-robin): two descriptors per connection, every byte copied twice',
  supported: () => null,
};

export const sharedHandle: ArchitectureStrategy = {
  name: 'shared-handle',
  kind: 'handle',
  description:
    'architecture, no cluster module: child_process.fork, and the listening server handle sent to every child, which all accept on it',
  supported: () => null,
};
