// native (rr, none): Node's own scheduling. Every worker listens through cluster's shared handle;
// the policy frozen at the first fork says who accepts (the primary, round-robin; or each worker).
import cluster from 'node:cluster';
import type { NativeStrategy } from '../../../strategies/types.js';
import { allReady, type ClusterKind, listenThenReady } from './kind.js';

export const native: ClusterKind<NativeStrategy> = {
  primary: (def) => ({
    policy: def.policy === 'rr' ? cluster.SCHED_RR : cluster.SCHED_NONE,
    canAdd: true,
    listen: async (workers, ready) => (await allReady(workers, ready))[0],
  }),
  worker: (ctx) => {
    const { host, port, backlog } = ctx.config;
    listenThenReady(ctx, { host, port, backlog }, port);
  },
};
