// Cores, and the processes that share them. Every process (the primary, each worker, the load
// generator) runs one task at a time from its own FIFO. A task is CPU work (it takes longer when
// the process gets less than a core) and then, optionally, a hold of fixed wall time during which
// the process stays runnable and takes whatever CPU it is given: the servers' `--work` burns spin
// until `performance.now()` has moved MS (servers/work.ts), so they end on time however little CPU
// they get, and slow every other process meanwhile.
//
// Two schedulers:
//   Cpu        processor sharing: the runnable processes share the cores equally, each at
//              min(1, cores / runnable). With a core each, every task runs at full speed; the
//              extrapolations run here (a core per worker, plus the primary and the load generator).
//   SlicedCpu  as Linux (CFS / EEVDF) shares too few cores: the least CPU received runs, a slice
//              at a time; a woken process is placed near the front and may preempt.
import { EventHeap, Fifo } from './heap.js';

/** CPU work, then a hold of `wallMs` of wall time (runnable, on whatever CPU it gets), and what happens when done. */
export interface Task {
  work: number;
  wallMs?: number;
  done: () => void;
}

/** A process: one task at a time, the rest in order. */
export class Proc {
  readonly queue = new Fifo<Task>();
  running = false;
  /** CPU received, ms. */
  spent = 0;
  // The scheduler's bookkeeping: the task in hand, its CPU work left, the end of its hold.
  current: Task | null = null;
  left = 0;
  holdEnd = Number.POSITIVE_INFINITY;
  // SlicedCpu's: virtual runtime, its core, its slice.
  vruntime = 0;
  onCore = false;
  sliceEnd = 0;

  /** Tasks queued behind the one in hand. */
  get waiting(): number {
    return this.queue.length;
  }
}

/** How the simulation's processes get CPU. */
export interface Cores {
  /** Real time of the next CPU event (work done, a hold over, a slice over); Infinity when nothing runs. */
  nextAt(): number;
  /** Move the clock to `to` (never past nextAt()). */
  advance(to: number): void;
  /** Queue `task` on `p`; it starts at once if `p` is idle (Cpu: a task of no work and no hold is done at once). */
  run(p: Proc, task: Task): void;
  /** Handle the CPU event due at nextAt(). */
  complete(): void;
}

/** The task in hand is done: count it, call back (which may queue more on p), then take p's next. */
function finishTask(p: Proc): Task | undefined {
  const task = p.current as Task;
  p.current = null;
  task.done(); // p is still marked running: what it queues waits its turn
  const next = p.queue.shift();
  if (next !== undefined) {
    p.current = next;
    p.left = next.work;
    p.holdEnd = Number.POSITIVE_INFINITY;
  } else p.running = false;
  return next;
}

const instant = (t: Task): boolean => t.work <= 0 && !(t.wallMs && t.wallMs > 0);

interface InWork {
  /** The virtual time at which its CPU work is done. */
  at: number;
  seq: number;
  proc: Proc;
}
interface InHold {
  /** The real time its hold ends. */
  at: number;
  seq: number;
  proc: Proc;
}

/**
 * Processor sharing with one virtual clock: all runnable processes progress at the same rate, so
 * V (dV/dt = rate) orders every task's CPU work by the V at which it is done (a heap); a change in
 * the number runnable changes the rate, not the order. Holds end at a real time (a second heap).
 * O(log n) per event.
 */
export class Cpu implements Cores {
  private v = 0;
  private t = 0;
  private runnable = 0;
  private readonly work = new EventHeap<InWork>();
  private readonly holds = new EventHeap<InHold>();

  /** `cores` may be fractional (a core shared with something not modelled) or Infinity. */
  constructor(private readonly cores: number) {}

  private rate(): number {
    return this.runnable <= this.cores ? 1 : this.cores / this.runnable;
  }

  nextAt(): number {
    const w = this.work.peek();
    const h = this.holds.peek();
    return Math.min(
      w === undefined ? Number.POSITIVE_INFINITY : this.t + Math.max(0, w.at - this.v) / this.rate(),
      h === undefined ? Number.POSITIVE_INFINITY : h.at,
    );
  }

  advance(to: number): void {
    if (to > this.t) {
      this.v += (to - this.t) * this.rate();
      this.t = to;
    }
  }

  run(p: Proc, task: Task): void {
    if (instant(task) && !p.running && p.waiting === 0) {
      task.done();
      return;
    }
    p.queue.push(task);
    if (!p.running) {
      p.running = true;
      this.runnable++;
      p.current = p.queue.shift() as Task;
      this.begin(p);
    }
  }

  /** p's task in hand starts its CPU work. */
  private begin(p: Proc): void {
    const task = p.current as Task;
    this.work.push({ at: this.v + task.work, proc: p });
  }

  complete(): void {
    const w = this.work.peek();
    const h = this.holds.peek();
    const wAt = w === undefined ? Number.POSITIVE_INFINITY : this.t + Math.max(0, w.at - this.v) / this.rate();
    if (h !== undefined && h.at <= wAt) {
      this.holds.pop();
      this.done(h.proc);
      return;
    }
    const p = (this.work.pop() as InWork).proc;
    const task = p.current as Task;
    p.spent += task.work;
    if (task.wallMs && task.wallMs > 0) {
      // The hold: it ends on time, and takes the process's share of the cores meanwhile.
      p.spent += task.wallMs * this.rate(); // at the share it has now: an estimate of the CPU it receives
      this.holds.push({ at: this.t + task.wallMs, proc: p });
    } else this.done(p);
  }

  private done(p: Proc): void {
    if (finishTask(p) !== undefined) this.begin(p);
    else this.runnable--;
  }
}

/**
 * Cores as CFS / EEVDF share them when processes outnumber them: the runnable processes with the
 * least virtual runtime (CPU received) run, each for a slice before the next in line takes its core;
 * a process that wakes is placed half a slice behind the least runtime of those runnable (owed a
 * little, not all it slept), and takes a core at once from a running process more than a slice
 * ahead of it (wake-up preemption). So a worker woken for a short request gets the CPU before one
 * deep in a long burn, as on Linux and unlike processor sharing. Each event costs O(processes
 * runnable): the engine uses it where whole cores are fewer than the processes.
 */
export class SlicedCpu implements Cores {
  private t = 0;
  private readonly onCore: Proc[] = [];
  private readonly ready: Proc[] = [];
  private minV = 0;

  /** `sliceMs`: how long a process keeps a core while others wait (EEVDF's base slice). */
  constructor(
    private readonly cores: number,
    private readonly sliceMs: number,
  ) {}

  /** When p's next event is due: its work done (on a core), its hold over, its slice over (others waiting). */
  private dueOf(p: Proc, contended: boolean): number {
    let due = p.holdEnd;
    if (p.onCore) {
      if (p.holdEnd === Number.POSITIVE_INFINITY) due = this.t + p.left;
      if (contended) due = Math.min(due, p.sliceEnd);
    }
    return due;
  }

  nextAt(): number {
    let next = Number.POSITIVE_INFINITY;
    const contended = this.ready.length > 0;
    for (const p of this.onCore) next = Math.min(next, this.dueOf(p, contended));
    for (const p of this.ready) next = Math.min(next, p.holdEnd);
    return next;
  }

  advance(to: number): void {
    const dt = to - this.t;
    if (dt <= 0) return;
    for (const p of this.onCore) {
      if (p.holdEnd === Number.POSITIVE_INFINITY) p.left -= dt;
      p.vruntime += dt;
      p.spent += dt;
    }
    this.t = to;
  }

  /** Even a task of no work waits for a core: a process reads a message only when it runs. */
  run(p: Proc, task: Task): void {
    p.queue.push(task);
    if (!p.running) this.wake(p);
  }

  private least(): number {
    let v = Number.POSITIVE_INFINITY;
    for (const p of this.onCore) v = Math.min(v, p.vruntime);
    for (const p of this.ready) v = Math.min(v, p.vruntime);
    return v === Number.POSITIVE_INFINITY ? this.minV : v;
  }

  /** p becomes runnable with its next task. */
  private wake(p: Proc): void {
    p.running = true;
    p.current = p.queue.shift() as Task;
    p.left = p.current.work;
    p.holdEnd = p.left <= 0 && p.current.wallMs ? this.t + p.current.wallMs : Number.POSITIVE_INFINITY;
    this.minV = this.least();
    p.vruntime = Math.max(p.vruntime, this.minV - this.sliceMs / 2);
    if (this.onCore.length < this.cores) {
      this.dispatch(p);
      return;
    }
    // Wake-up preemption: the running process furthest ahead yields if it is more than a slice ahead.
    let far = 0;
    for (let i = 1; i < this.onCore.length; i++) if (this.onCore[i].vruntime > this.onCore[far].vruntime) far = i;
    if (this.onCore[far].vruntime > p.vruntime + this.sliceMs) {
      this.offCore(far);
      this.dispatch(p);
    } else this.ready.push(p);
  }

  private dispatch(p: Proc): void {
    p.onCore = true;
    p.sliceEnd = this.t + this.sliceMs;
    this.onCore.push(p);
  }

  private offCore(i: number): void {
    const [p] = this.onCore.splice(i, 1);
    p.onCore = false;
    this.ready.push(p);
  }

  /** The ready processes with the least virtual runtime onto the free cores. */
  private fill(): void {
    while (this.onCore.length < this.cores && this.ready.length > 0) {
      let best = 0;
      for (let i = 1; i < this.ready.length; i++) if (this.ready[i].vruntime < this.ready[best].vruntime) best = i;
      const [p] = this.ready.splice(best, 1);
      this.dispatch(p);
    }
  }

  complete(): void {
    const contended = this.ready.length > 0;
    let p: Proc | undefined;
    let at = Number.POSITIVE_INFINITY;
    for (const q of this.onCore) {
      const due = this.dueOf(q, contended);
      if (due < at) {
        at = due;
        p = q;
      }
    }
    for (const q of this.ready)
      if (q.holdEnd < at) {
        at = q.holdEnd;
        p = q;
      }
    if (p === undefined) return;
    const task = p.current as Task;
    if (p.holdEnd <= at)
      this.taskDone(p); // its hold is over
    else if (p.holdEnd === Number.POSITIVE_INFINITY && p.left <= 1e-9) {
      if (task.wallMs && task.wallMs > 0)
        p.holdEnd = this.t + task.wallMs; // work done: now the hold
      else this.taskDone(p);
    } else this.offCore(this.onCore.indexOf(p)); // its slice is over and others wait
    this.fill();
  }

  private taskDone(p: Proc): void {
    if (finishTask(p) !== undefined) {
      p.holdEnd = p.left <= 0 && p.current?.wallMs ? this.t + p.current.wallMs : Number.POSITIVE_INFINITY;
      if (p.onCore && this.ready.length > 0 && this.t >= p.sliceEnd) this.offCore(this.onCore.indexOf(p));
      return;
    }
    const list = p.onCore ? this.onCore : this.ready;
    list.splice(list.indexOf(p), 1);
    p.onCore = false;
  }
}
