// A binary min-heap of timed events: the simulator's clock. Ties go in insertion order (seq), so
// a run is the same on every platform for the same seed.

export interface Timed {
  at: number;
  seq: number;
}

/** An event as scheduled: everything but its seq (distributed over a union of event types). */
export type Unsequenced<E> = E extends unknown ? Omit<E, 'seq'> : never;

export class EventHeap<E extends Timed> {
  private readonly items: E[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  /** The earliest event, left in place. */
  peek(): E | undefined {
    return this.items[0];
  }

  /** Schedule `e` (its seq is set here). */
  push(e: Unsequenced<E>): void {
    const item = e as unknown as E;
    item.seq = this.seq++;
    const a = this.items;
    a.push(item);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(a[i], a[parent])) break;
      [a[i], a[parent]] = [a[parent], a[i]];
      i = parent;
    }
  }

  /** The earliest event, removed; undefined when none is left. */
  pop(): E | undefined {
    const a = this.items;
    if (a.length === 0) return undefined;
    const top = a[0];
    const last = a.pop() as E;
    if (a.length > 0) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l], a[m])) m = l;
        if (r < a.length && before(a[r], a[m])) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m], a[i]];
        i = m;
      }
    }
    return top;
  }
}

const before = (x: Timed, y: Timed): boolean => x.at < y.at || (x.at === y.at && x.seq < y.seq);

/** A first-in first-out queue with O(1) shift (an array and a head index, compacted as it drains). */
export class Fifo<T> {
  private items: T[] = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(x: T): void {
    this.items.push(x);
  }

  shift(): T | undefined {
    if (this.head === this.items.length) return undefined;
    const x = this.items[this.head++];
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
}
