// Cores as the kernel shares them: processor sharing. Every process (the primary, each worker, the
// load generator) runs one task at a time from its own FIFO; the runnable ones share the cores
// equally, each at rate min(1, cores / runnable), as CFS time-slices them when they outnumber the
// cores (its slices, a few ms, are short beside a run). With a core each, every task runs at full
// speed from the moment it starts.
//
// Virtual time: all runnable processes progress at the same rate, so one clock V (dV/dt = rate)
// orders every running task by the V at which it finishes; only that order is kept (a heap), and
// a change in the number running changes the rate, not the order. O(log n) per task.
import { EventHeap, Fifo } from './heap.js';

/** A piece of CPU work, and what happens when it is done. */
export interface Task {
  work: number;
  done: () => void;
}

/** A process: one task at a time, the rest in order. */
export class Proc {
  readonly queue = new Fifo<Task>();
  running = false;
  /** CPU spent, ms of full-speed work. */
  spent = 0;

  /** Tasks queued behind the running one. */
  get waiting(): number {
    return this.queue.length;
  }
}

interface Running {
  /** The virtual time at which it finishes. */
  at: number;
  seq: number;
  proc: Proc;
  task: Task;
}

export class Cpu {
  private v = 0;
  private t = 0;
  private running = 0;
  private readonly heap = new EventHeap<Running>();

  /** `cores` may be fractional (a core shared with something not modelled) or Infinity. */
  constructor(private readonly cores: number) {}

  private rate(): number {
    return this.running <= this.cores ? 1 : this.cores / this.running;
  }

  /** Real time of the next task to finish; Infinity when nothing runs. */
  nextAt(): number {
    const top = this.heap.peek();
    return top === undefined ? Number.POSITIVE_INFINITY : this.t + Math.max(0, top.at - this.v) / this.rate();
  }

  /** Move the clock to `to` (never past nextAt()). */
  advance(to: number): void {
    if (to > this.t) {
      this.v += (to - this.t) * this.rate();
      this.t = to;
    }
  }

  /** Queue `task` on `p`; it starts at once if `p` is idle. Work of 0 is done at once, in order. */
  run(p: Proc, task: Task): void {
    if (task.work <= 0 && !p.running && p.waiting === 0) {
      task.done();
      return;
    }
    p.queue.push(task);
    if (!p.running) this.start(p);
  }

  private start(p: Proc): void {
    const task = p.queue.shift();
    if (task === undefined) return;
    p.running = true;
    this.running++;
    this.heap.push({ at: this.v + task.work, proc: p, task });
  }

  /** Finish the earliest task (the clock at nextAt()), then start its process's next one. */
  complete(): void {
    const r = this.heap.pop() as Running;
    this.running--;
    r.proc.spent += r.task.work;
    r.task.done(); // may queue more on the same process: it is still marked running
    r.proc.running = false;
    this.start(r.proc);
  }
}
