// dispatch and user: the primary accepts raw handles and the strategy's picker places each one
// (the mechanism: ../dispatch.ts, ../dispatch-primary.ts, ../dispatch-worker.ts). Workers never
// listen; they take what arrives over IPC and report what the picker reads.
import { seededRng } from '../../../strategies/rng.js';
import type { DispatchStrategy, UserStrategy } from '../../../strategies/types.js';
import { addPeer, type DispatchListener, listenDispatch, type Peer } from '../dispatch-primary.js';
import { acceptDispatched } from '../dispatch-worker.js';
import type { Worker } from '../forks.js';
import { allReady, type ClusterKind } from './kind.js';

/** What the workers report, because the picker reads it. */
interface Reports {
  /** Closes (the picker reads `active`). */
  reportCloses: boolean;
  /** Requests in flight (the picker reads `requests`). */
  reportRequests: boolean;
}

const peerOf = (w: Worker): Peer => ({ id: w.id, proc: w.process });

export const dispatch: ClusterKind<DispatchStrategy | UserStrategy, Reports> = {
  primary: (def, config) => {
    let listener: DispatchListener | undefined;
    /** Each worker's index in the dispatcher (a replacement's is its own, whenever it joins). */
    const index = new Map<Worker, number>();
    return {
      options: { reportCloses: def.needsCloses, reportRequests: def.kind === 'dispatch' && def.needsRequests === true },
      canAdd: true,
      listen: async (workers, ready) => {
        await allReady(workers, ready);
        const needsAddress = def.kind === 'dispatch' && def.needsAddress === true;
        listener = await listenDispatch(workers.map(peerOf), def.createPicker(), seededRng(config.seed), config, needsAddress);
        for (const [i, w] of workers.entries()) index.set(w, i);
        return listener.port;
      },
      add: (w) => {
        if (listener) index.set(w, addPeer(listener.dispatcher, peerOf(w)));
      },
      remove: (w) => {
        const i = index.get(w);
        if (listener && i !== undefined) listener.dispatcher.retire(i);
      },
      stats: () => listener && { ...listener.dispatcher.stats },
      close: () => void listener?.server.close(),
    };
  },
  worker: ({ server, closing, options, send }) => {
    acceptDispatched(server, closing, options.reportCloses, options.reportRequests);
    send({ type: 'csb:ready', port: 0 });
  },
};
