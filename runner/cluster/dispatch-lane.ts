// One worker's lane in the userland dispatcher (dispatch.ts): the connections picked for it and
// not yet written, oldest first, handed to the transport one at a time (why lanes: dispatch.ts).
import type { ConnInfo } from '../../strategies/types.js';

/** A connection on its way to a worker: its handle, the workers that refused it, the client's address. */
export interface InFlight<H> {
  handle: H;
  tried: number[];
  /** The client's address, for pickers that place by it (sticky). */
  conn?: ConnInfo;
}

/** Per worker: connections picked for it and not yet written, oldest first; `sending` is with the transport. */
export class Lane<H> {
  private items: Array<InFlight<H> | undefined> = [];
  private head = 0;
  sending: InFlight<H> | null = null;
  push(e: InFlight<H>): void {
    this.items.push(e);
  }
  shift(): InFlight<H> | undefined {
    if (this.head === this.items.length) return undefined;
    const e = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return e;
  }
  /**
   * Everything not yet written, the one with the transport first (unless `keepSending`: its write
   * callback, or the worker handing it back, decides where it goes); the lane is empty after.
   */
  drain(keepSending = false): InFlight<H>[] {
    const out = this.sending && !keepSending ? [this.sending] : [];
    if (!keepSending) this.sending = null;
    for (let e = this.shift(); e; e = this.shift()) out.push(e);
    return out;
  }
  get size(): number {
    return this.items.length - this.head + (this.sending ? 1 : 0);
  }
}
