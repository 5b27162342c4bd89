import type { KernelStrategy, SupportCheck } from './types.js';

/** Node gained `reusePort` for net and http listen() in 22.12 (and 23.1). */
const MIN = [22, 12] as const;

export const reusePortSupport: SupportCheck = (platform, nodeVersion) => {
  if (platform !== 'linux' && platform !== 'freebsd')
    return `needs SO_REUSEPORT load balancing (Linux or FreeBSD); ${platform} has no such option for TCP`;
  const [major, minor] = nodeVersion.replace(/^v/, '').split('.').map(Number);
  if (major < MIN[0] || (major === MIN[0] && minor < MIN[1]))
    return `needs Node >= ${MIN.join('.')} for listen({ reusePort }) (this cluster runs ${nodeVersion}; try --node 22)`;
  return null;
};

export const reuseport: KernelStrategy = {
  name: 'reuseport',
  kind: 'kernel',
  description: 'kernel SO_REUSEPORT: every worker listens on the port itself; the kernel hashes each connection to one socket',
  supported: reusePortSupport,
};
