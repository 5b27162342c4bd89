// The userland dispatch mechanism, primary side. Written once for every dispatch strategy, in
// the shape of Node core's RoundRobinHandle, but with one IPC message per connection:
//
//   accept (raw handle) -> picker.pick(loads) -> worker's lane (FIFO) -> send(conn, handle) -> written: close our copy, send the next
//            ^                                                                             -> not written: try another
//            '-- refused: the worker hands the handle back ----------- worker (shutting down)
//   active -= n <- closed{n} (batched) <------------------------------ worker (only if the picker reads `active`)
//
// Why no "accepted" message: once the transport has written the handle (SCM_RIGHTS duplicates
// the descriptor into the message), the connection no longer depends on our copy, so we close it
// at once. A refusal is rare (only while a worker shuts down) and the worker sends the handle back.
// Why lanes: child_process writes one handle per worker per NODE_HANDLE_ACK and, on every ACK,
// re-submits its whole queue (quadratic in a 1000-connection burst). We hand it one handle at a
// time (the next when the previous was written) and keep the rest in our own FIFO.
import { type ConnInfo, HOLD, type Picker, type WorkerLoad } from '../../strategies/types.js';
import { type InFlight, Lane } from './dispatch-lane.js';

export const CONN = 'csb:conn';
export const REFUSED = 'csb:refused';
export const CLOSED = 'csb:closed';
export const LOAD = 'csb:load';

/** Primary -> worker, with the handle. `tried`: workers that refused it already (rare; echoed back). */
export interface ConnMessage {
  type: typeof CONN;
  tried?: number[];
}
export type WorkerReply =
  /** Worker -> primary, with the handle given back (or without one if it could not be). */
  | { type: typeof REFUSED; tried?: number[] }
  /** `n` connections closed since the worker's last notice. */
  | { type: typeof CLOSED; n: number }
  /** Requests in flight now, and connections received so far (strategies that read `requests`). */
  | { type: typeof LOAD; inflight: number; taken: number };

/** A connection as the primary holds it: a raw TCP handle here, a fake in tests. */
export interface Closable {
  close(): void;
}

/** A worker as the dispatcher sees it. `cb(null)` once the handle is written, else why not. */
export interface DispatchTarget<H> {
  readonly id: number;
  readonly pid: number;
  send(msg: ConnMessage, handle: H, cb: (err: Error | null) => void): void;
}

export interface DispatchStats {
  /** Connections placed with a worker, each counted once, where it ended up (moved after a refusal or an exit: not twice). */
  dispatched: number;
  /** Times a worker handed a connection back (it was shutting down). */
  refused: number;
  dropped: number;
  /** Picks that threw or returned no valid candidate (a user strategy's bug); they went round-robin. */
  pickErrors?: number;
  /** Connections the primary's accept failed on, by error (EMFILE: its open-file limit); each client sees a reset or a timeout. */
  acceptErrors?: Record<string, number>;
  firstPickError?: string;
}

/** One more connection the primary's accept failed on, by its error's name. */
export function countAcceptError(stats: DispatchStats, code: string): void {
  stats.acceptErrors ??= {};
  stats.acceptErrors[code] = (stats.acceptErrors[code] ?? 0) + 1;
}

export function isWorkerReply(m: unknown): m is WorkerReply {
  const t = (m as { type?: unknown } | null)?.type;
  if (t === CLOSED) return typeof (m as { n?: unknown }).n === 'number';
  if (t === LOAD) return typeof (m as { inflight?: unknown }).inflight === 'number' && typeof (m as { taken?: unknown }).taken === 'number';
  return t === REFUSED;
}

export class Dispatcher<H extends Closable> {
  readonly loads: WorkerLoad[];
  readonly stats: DispatchStats = { dispatched: 0, refused: 0, dropped: 0 };
  private readonly lanes: Array<Lane<H>>;
  private readonly targets: DispatchTarget<H>[];
  private readonly gone = new Set<number>();
  /** Round-robin over candidates, for a pick that failed. */
  private fallback = 0;
  /** Connections a holding picker is keeping until a worker has capacity, oldest first, with when each came. */
  private readonly held: Array<{ entry: InFlight<H>; at: number }> = [];
  private holdTimer: NodeJS.Timeout | undefined;

  constructor(
    targets: readonly DispatchTarget<H>[],
    private readonly picker: Picker,
    private readonly rng: () => number,
  ) {
    this.targets = [...targets];
    this.loads = targets.map((t) => ({ id: t.id, pid: t.pid, active: 0, served: 0, requests: 0 }));
    this.lanes = targets.map(() => new Lane<H>());
  }

  /** A worker that joined (a replacement, --respawn); returns its index. */
  add(target: DispatchTarget<H>): number {
    this.targets.push(target);
    this.loads.push({ id: target.id, pid: target.pid, active: 0, served: 0, requests: 0 });
    this.lanes.push(new Lane<H>());
    return this.targets.length - 1;
  }

  /** A new connection from the accept loop (with the client's address, for pickers that read it). */
  dispatch(handle: H, conn?: ConnInfo): void {
    this.distribute(conn ? { handle, tried: [], conn } : { handle, tried: [] });
  }

  /** A message from worker `index` (position in `targets`), with the handle it gave back, if any. */
  onReply(index: number, msg: WorkerReply, handle?: H): void {
    if (msg.type === CLOSED) {
      this.loads[index].active -= msg.n;
      return;
    }
    if (msg.type === LOAD) {
      // What it is doing, plus what it has been handed and not yet received.
      const l = this.loads[index];
      l.requests = msg.inflight + Math.max(0, l.served - msg.taken);
      this.release();
      return;
    }
    this.unassign(index);
    const tried = [...(msg.tried ?? []), index];
    if (!handle) {
      // The worker refused but could not give the connection back: it is lost (the client sees a reset).
      this.stats.dropped++;
      return;
    }
    this.stats.refused++;
    this.distribute({ handle, tried });
  }

  /**
   * Worker `index` exited: nothing more goes to it, and what was not written to it goes elsewhere,
   * the one with the transport too (a dead worker can neither take it nor hand it back; our copy
   * is still open, so the client's connection lives on at another worker).
   */
  remove(index: number): void {
    this.leave(index, false);
  }

  /**
   * Worker `index` is leaving gracefully (it will refuse what reaches it): nothing more goes to it
   * and its waiting connections go elsewhere, but not the one with the transport: that one may
   * already be written, and the worker then serves it or hands it back, so sending it elsewhere
   * too would dispatch one connection twice. Its write callback or the refusal places it.
   */
  retire(index: number): void {
    this.leave(index, true);
  }

  private leave(index: number, keepSending: boolean): void {
    const first = !this.gone.has(index);
    this.gone.add(index);
    if (first) queueMicrotask(() => this.release());
    for (const entry of this.lanes[index].drain(keepSending)) {
      this.unassign(index);
      this.distribute({ ...entry, tried: [...entry.tried, index] });
    }
  }

  /** Connections picked and not yet written to their worker, and those held for capacity. */
  get pending(): number {
    return this.lanes.reduce((a, l) => a + l.size, 0) + this.held.length;
  }

  /** Held connections go, oldest first, while the picker finds a worker with capacity. */
  private release(): void {
    while (this.held.length > 0) {
      const { entry } = this.held[0];
      const index = this.choose(entry.tried, entry.conn);
      if (index === HOLD) break;
      this.held.shift();
      this.place(entry, index);
    }
    this.armHold();
  }

  /** Wake when the oldest held connection has waited `holdMs`: it then goes where `fallback` says. */
  private armHold(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    if (this.held.length === 0) return;
    const holdMs = this.picker.holdMs ?? 200;
    this.holdTimer = setTimeout(
      () => {
        const now = performance.now();
        while (this.held.length > 0 && now - this.held[0].at >= holdMs) {
          const { entry } = this.held.shift() as { entry: InFlight<H> };
          this.place(entry, this.choose(entry.tried, entry.conn, true));
        }
        this.release();
      },
      Math.max(0, this.held[0].at + holdMs - performance.now()),
    );
    this.holdTimer.unref?.();
  }

  private unassign(index: number): void {
    this.stats.dispatched--;
    this.loads[index].active--;
    this.loads[index].served--;
    this.loads[index].requests--;
  }

  /** The worker for a connection, -1 when none can take it, HOLD to keep it for now; `force`: no HOLD. */
  private choose(tried: readonly number[], conn?: ConnInfo, force = false): number {
    // Common case: everyone is a candidate, so the picker sees `loads` itself (no copies).
    if (tried.length === 0 && this.gone.size === 0) return this.safePick(this.loads, conn, force);
    const candidates: number[] = [];
    for (let i = 0; i < this.loads.length; i++) if (!this.gone.has(i) && !tried.includes(i)) candidates.push(i);
    if (candidates.length === 0) return -1;
    const k = this.safePick(
      candidates.map((i) => this.loads[i]),
      conn,
      force,
    );
    return k === HOLD ? HOLD : candidates[k];
  }

  /**
   * The picker's choice among `ws`, checked: a pick that throws or is not an index of `ws` (a user
   * strategy's bug) is counted, the first one kept in words, and the connection goes round-robin.
   */
  private safePick(ws: readonly WorkerLoad[], conn?: ConnInfo, force = false): number {
    let i: unknown;
    let why: string;
    const { fallback } = this.picker;
    try {
      i = force && fallback ? fallback.call(this.picker, ws, this.rng) : this.picker.pick(ws, this.rng, conn);
      if (typeof i === 'number' && Number.isInteger(i) && i >= 0 && i < ws.length) return i;
      if (i === HOLD && fallback && !force) return HOLD; // only a picker that can say where, later
      why = `pick returned ${String(i)} for ${ws.length} workers (valid: 0 to ${ws.length - 1})`;
    } catch (err) {
      why = `pick threw: ${(err as Error)?.message ?? String(err)}`;
    }
    this.stats.pickErrors = (this.stats.pickErrors ?? 0) + 1;
    this.stats.firstPickError ??= why;
    this.fallback = (this.fallback + 1) % ws.length;
    return this.fallback;
  }

  private distribute(entry: InFlight<H>): void {
    const index = this.choose(entry.tried, entry.conn);
    if (index === HOLD) {
      this.held.push({ entry, at: performance.now() });
      if (this.held.length === 1) this.armHold();
      return;
    }
    this.place(entry, index);
  }

  /** Hand `entry` to worker `index` (-1: nobody can take it). */
  private place(entry: InFlight<H>, index: number): void {
    if (index === -1) {
      // Every worker refused or is gone: nobody can serve it. Counted, and the client sees a reset.
      this.stats.dropped++;
      entry.handle.close();
      return;
    }
    this.loads[index].active++;
    this.loads[index].served++;
    this.loads[index].requests++; // until the worker says otherwise: a connection brings a request
    this.stats.dispatched++;
    const lane = this.lanes[index];
    lane.push(entry);
    if (lane.sending === null) this.pump(index);
  }

  /** Hand worker `index` its oldest waiting connection; the next goes once this one is written. */
  private pump(index: number): void {
    const lane = this.lanes[index];
    const entry = lane.shift();
    if (!entry) return;
    lane.sending = entry;
    const msg: ConnMessage = entry.tried.length === 0 ? { type: CONN } : { type: CONN, tried: entry.tried };
    this.targets[index].send(msg, entry.handle, (err) => {
      if (lane.sending !== entry) return; // remove() already sent it elsewhere
      lane.sending = null;
      if (err === null)
        entry.handle.close(); // the message carries its own descriptor now
      else {
        this.unassign(index);
        this.distribute({ ...entry, tried: [...entry.tried, index] });
      }
      this.pump(index);
    });
  }
}
