// The userland dispatch mechanism, primary side. Written once for every dispatch strategy, in
// the shape of Node core's RoundRobinHandle: the primary keeps its copy of each connection until
// the chosen worker acks it; a worker that refuses (shutting down) gets it handed to another.
//
//   accept (pauseOnConnect) -> picker.pick(loads) -> send(conn, handle) -> accepted: drop our copy
//                                        ^                              -> refused: try another
//                                        '-- active-- <- closed <------ worker
import type { Picker, WorkerLoad } from './types.js';

export const CONN = 'csb:conn';
export const ACCEPTED = 'csb:accepted';
export const REFUSED = 'csb:refused';
export const CLOSED = 'csb:closed';

export interface ConnMessage { type: typeof CONN; seq: number }
export type WorkerReply =
  | { type: typeof ACCEPTED; seq: number }
  | { type: typeof REFUSED; seq: number }
  | { type: typeof CLOSED; seq: number };

/** Anything the primary can close: a net.Socket here, a fake in tests. */
export interface Closable { destroy(): void }

/** A worker as the dispatcher sees it. `send` reports transport failures through `cb`. */
export interface DispatchTarget<H> {
  readonly id: number;
  readonly pid: number;
  send(msg: ConnMessage, handle: H, cb: (err: Error | null) => void): void;
}

interface InFlight<H> { handle: H; worker: number; tried: Set<number> }

export interface DispatchStats { dispatched: number; refused: number; dropped: number }

export function isWorkerReply(m: unknown): m is WorkerReply {
  const t = (m as { type?: unknown } | null)?.type;
  return (t === ACCEPTED || t === REFUSED || t === CLOSED) && typeof (m as { seq?: unknown }).seq === 'number';
}

export class Dispatcher<H extends Closable> {
  readonly loads: WorkerLoad[];
  readonly stats: DispatchStats = { dispatched: 0, refused: 0, dropped: 0 };
  private readonly inFlight = new Map<number, InFlight<H>>();
  private readonly gone = new Set<number>();
  private seq = 0;

  constructor(
    private readonly targets: readonly DispatchTarget<H>[],
    private readonly picker: Picker,
    private readonly rng: () => number,
  ) {
    this.loads = targets.map((t) => ({ id: t.id, pid: t.pid, active: 0, served: 0 }));
  }

  /** A new connection from the accept loop. */
  dispatch(handle: H): void {
    this.distribute(++this.seq, { handle, worker: -1, tried: new Set() });
  }

  /** A message from worker `index` (position in `targets`). */
  onReply(index: number, msg: WorkerReply): void {
    const load = this.loads[index];
    if (msg.type === CLOSED) {
      load.active--;
      return;
    }
    const entry = this.inFlight.get(msg.seq);
    if (!entry || entry.worker !== index) return;
    this.inFlight.delete(msg.seq);
    if (msg.type === ACCEPTED) {
      entry.handle.destroy(); // the worker holds its own copy of the connection now
      return;
    }
    this.unassign(entry, index);
    this.stats.refused++;
    this.distribute(msg.seq, entry);
  }

  /** Worker `index` exited: nothing more goes to it, and what it had not acked goes elsewhere. */
  remove(index: number): void {
    this.gone.add(index);
    for (const [seq, entry] of this.inFlight) {
      if (entry.worker !== index) continue;
      this.inFlight.delete(seq);
      this.unassign(entry, index);
      this.distribute(seq, entry);
    }
  }

  /** Connections sent but not yet acked. */
  get pending(): number {
    return this.inFlight.size;
  }

  private unassign(entry: InFlight<H>, index: number): void {
    entry.tried.add(index);
    this.loads[index].active--;
    this.loads[index].served--;
  }

  private distribute(seq: number, entry: InFlight<H>): void {
    const candidates: number[] = [];
    for (let i = 0; i < this.loads.length; i++) if (!this.gone.has(i) && !entry.tried.has(i)) candidates.push(i);
    if (candidates.length === 0) {
      // Every worker refused or is gone: nobody can serve it. Counted, and the client sees a reset.
      this.stats.dropped++;
      entry.handle.destroy();
      return;
    }
    const view = candidates.length === this.loads.length ? this.loads : candidates.map((i) => this.loads[i]);
    const index = candidates[this.picker.pick(view, this.rng)];
    entry.worker = index;
    this.loads[index].active++;
    this.loads[index].served++;
    this.stats.dispatched++;
    this.inFlight.set(seq, entry);
    this.targets[index].send({ type: CONN, seq }, entry.handle, (err) => {
      if (err && this.inFlight.get(seq) === entry) this.onReply(index, { type: REFUSED, seq });
    });
  }
}
