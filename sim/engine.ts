// The discrete-event core of `npm run simulate` (issue 18, first part): an open loop of fresh
// connections, one request each, placed on N workers by the real pickers (strategies/*.ts) or by a
// model of core's round-robin, each worker serving its queue one request at a time. Seeded; no
// wall-clock time; memory flat in the number of requests (latency in an HDR histogram).
//
// What it models, and what it does not yet (docs/simulate.md):
//   arrivals   Poisson at rho * N / service mean (open loop, as --load open on fresh connections)
//   primary    one server: each dispatch costs `primaryMs` of its time, in arrival order
//   IPC        a handed connection reaches its worker `ipcMs` later; a worker's reports (closes,
//              requests in flight) reach the primary `reportMs` after the fact
//   rr         core's RoundRobinHandle: a free list; a worker leaves it when handed a connection and
//              returns when its acknowledgement arrives (2 x ipcMs later); none free: the primary queues
//   pickers    the strategy's own pick(loads, rng), on the loads the primary would see; HOLD keeps
//              the connection (oldest first) until a report frees a worker, or its holdMs passes
//   workers    FIFO, one request at a time (CPU-bound service); no core contention yet
import { Int32Histogram } from 'hdr-histogram-js';
import { seededRng } from '../strategies/rng.js';
import { HOLD, type Picker, type WorkerLoad } from '../strategies/types.js';
import { EventHeap } from './heap.js';

/** How a connection reaches a worker. */
export type Placement =
  | { kind: 'rr' }
  /**
   * SCHED_NONE: the kernel's accept queue, shared; an idle worker blocked in epoll is woken for a
   * new connection (which one: `wake`), and a worker that returns to its event loop accepts every
   * connection waiting (libuv accepts until EAGAIN). No primary on the path.
   */
  | { kind: 'race'; wake: 'lifo' | 'fifo' | 'random' }
  /** SO_REUSEPORT: the kernel hashes each connection's 4-tuple to one worker's own socket (uniform over fresh ports). No primary on the path. */
  | { kind: 'reuseport' }
  | {
      kind: 'picker';
      picker: Picker;
      /** Which count the workers report back: `active` (closes), `requests` (in flight), or none. */
      reports: 'active' | 'requests' | 'none';
    };

export interface SimOptions {
  workers: number;
  /** Offered load per worker: arrival rate / (workers / service mean). */
  rho: number;
  /** The work of a request, ms: the mean of exp, the value of fixed, what mixed burns on `percent`% of requests. */
  serviceMs: number;
  service: 'exp' | 'fixed' | 'mixed';
  /** mixed: the share of requests that burn serviceMs, percent. */
  percent?: number;
  /** Every request's fixed cost besides its work (HTTP parsing, the response), ms; calibrated from a run. */
  overheadMs?: number;
  /** Requests simulated, the warm-up ones included. */
  requests: number;
  /** The first requests, not recorded (the queues fill from empty). */
  warmup: number;
  seed: number;
  placement: Placement;
  /** The primary's CPU per dispatched connection, ms (0: free). */
  primaryMs: number;
  /** Handing a connection to a worker takes this long, ms. */
  ipcMs: number;
  /** A worker's report reaches the primary this long after the fact, ms. */
  reportMs: number;
  /** Cores the primary and the workers share (a process runs only on a free core); Infinity: one each. */
  cores?: number;
}

export interface SimResult {
  /** Recorded requests. */
  requests: number;
  /** Per worker: recorded requests served. */
  served: number[];
  /** Response time (arrival to completion), ms. */
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  p999Ms: number;
  /** Simulated time of the recorded part, ms. */
  spanMs: number;
}

/** A request's mean service time, ms: what the utilization is of. */
export const meanService = (o: Pick<SimOptions, 'service' | 'serviceMs' | 'percent' | 'overheadMs'>): number =>
  (o.overheadMs ?? 0) + (o.service === 'mixed' ? ((o.percent ?? 0) / 100) * o.serviceMs : o.serviceMs);

type Ev =
  | { at: number; seq: number; type: 'arrive' }
  | { at: number; seq: number; type: 'dispatched' }
  | { at: number; seq: number; type: 'deliver'; worker: number; born: number; recorded: boolean }
  | { at: number; seq: number; type: 'done'; worker: number }
  | { at: number; seq: number; type: 'report'; worker: number }
  | { at: number; seq: number; type: 'ack'; worker: number }
  | { at: number; seq: number; type: 'expire'; id: number };

interface Job {
  born: number;
  recorded: boolean;
}

/** Latency resolution: µs in the histogram. */
const US = 1000;

export function simulate(o: SimOptions): SimResult {
  const rng = seededRng(o.seed);
  const pickRng = seededRng(o.seed ^ 0x9e3779b9);
  const exp = (mean: number): number => -Math.log(1 - rng()) * mean;
  const overhead = o.overheadMs ?? 0;
  const serviceTime = (): number =>
    overhead +
    (o.service === 'exp' ? exp(o.serviceMs) : o.service === 'fixed' ? o.serviceMs : rng() * 100 < (o.percent ?? 0) ? o.serviceMs : 0);
  const rate = (o.rho * o.workers) / meanService(o); // arrivals per ms
  const heap = new EventHeap<Ev>();
  const n = o.workers;
  const loads: WorkerLoad[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, pid: 1000 + i, active: 0, served: 0, requests: 0 }));
  const queues: Job[][] = Array.from({ length: n }, () => []);
  const busy = new Array<boolean>(n).fill(false);
  const current: Array<Job | null> = new Array(n).fill(null);
  const served = new Array<number>(n).fill(0);
  const hist = new Int32Histogram(1, 2 ** 31 - 1, 3);
  let sum = 0;
  let recorded = 0;
  let firstRecorded = Number.NaN;
  let lastDone = 0;
  let arrivals = 0;
  // rr: the free list; connections waiting for a free worker.
  const free: number[] = Array.from({ length: n }, (_, i) => i);
  const waiting: Job[] = [];
  // Held connections (a picker's HOLD), oldest first, each with an id for its expiry.
  const held: Array<Job & { id: number }> = [];
  let heldIds = 0;

  // Cores: a process runs only on a free one; the others wait for one in order.
  let freeCores = o.cores ?? Number.POSITIVE_INFINITY;
  const coreWaiters: Array<(now: number) => void> = [];
  const withCore = (now: number, run: (at: number) => void): void => {
    if (freeCores > 0) {
      freeCores--;
      run(now);
    } else coreWaiters.push(run);
  };
  const releaseCore = (now: number): void => {
    const next = coreWaiters.shift();
    if (next) next(now);
    else freeCores++;
  };
  const start = (w: number, now: number): void => {
    const job = queues[w].shift();
    if (job === undefined) return;
    busy[w] = true;
    current[w] = job;
    withCore(now, (at) => heap.push({ at: at + serviceTime(), type: 'done', worker: w }));
  };
  // The accept race (SCHED_NONE): the kernel's queue, and the idle workers blocked in epoll, in the order they blocked.
  const backlog: Job[] = [];
  const sleepers: number[] = [];
  const acceptAll = (w: number): void => {
    if (backlog.length === 0) return;
    loads[w].served += backlog.length;
    queues[w].push(...backlog.splice(0));
  };
  // The primary (rr and userland): one process, dispatching in arrival order, each dispatch primaryMs on a core.
  const inbox: Job[] = [];
  let primaryBusy = false;
  const primaryNext = (now: number): void => {
    if (primaryBusy || inbox.length === 0) return;
    primaryBusy = true;
    withCore(now, (at) => heap.push({ at: at + o.primaryMs, type: 'dispatched' }));
  };
  const handTo = (w: number, job: Job, now: number): void => {
    loads[w].served++;
    loads[w].active++;
    loads[w].requests++;
    heap.push({ at: now + o.ipcMs, type: 'deliver', worker: w, born: job.born, recorded: job.recorded });
    if (o.placement.kind === 'rr') heap.push({ at: now + 2 * o.ipcMs, type: 'ack', worker: w });
  };
  const place = (job: Job, now: number): void => {
    const p = o.placement;
    if (p.kind === 'rr') {
      const w = free.shift();
      if (w === undefined) waiting.push(job);
      else handTo(w, job, now);
      return;
    }
    if (p.kind !== 'picker') return; // the kernel places those (arrive)
    const i = p.picker.pick(loads, pickRng);
    if (i === HOLD) {
      const id = heldIds++;
      held.push({ ...job, id });
      heap.push({ at: now + (p.picker.holdMs ?? 200), type: 'expire', id });
      return;
    }
    handTo(i, job, now);
  };
  const retryHeld = (now: number): void => {
    if (o.placement.kind !== 'picker') return;
    while (held.length > 0) {
      const i = o.placement.picker.pick(loads, pickRng);
      if (i === HOLD) return;
      const job = held.shift() as Job;
      handTo(i, job, now);
    }
  };

  if (o.placement.kind === 'race') sleepers.push(...Array.from({ length: n }, (_, i) => i));
  heap.push({ at: exp(1 / rate), type: 'arrive' });
  for (let e = heap.pop(); e !== undefined; e = heap.pop()) {
    const now = e.at;
    switch (e.type) {
      case 'arrive': {
        arrivals++;
        const job: Job = { born: now, recorded: arrivals > o.warmup };
        if (job.recorded && Number.isNaN(firstRecorded)) firstRecorded = now;
        if (arrivals < o.requests) heap.push({ at: now + exp(1 / rate), type: 'arrive' });
        const p = o.placement;
        if (p.kind === 'reuseport') {
          const w = Math.floor(pickRng() * n);
          loads[w].served++;
          queues[w].push(job);
          if (!busy[w]) start(w, now);
        } else if (p.kind === 'race') {
          backlog.push(job);
          if (sleepers.length > 0) {
            const k = p.wake === 'lifo' ? sleepers.length - 1 : p.wake === 'fifo' ? 0 : Math.floor(pickRng() * sleepers.length);
            const [w] = sleepers.splice(k, 1);
            acceptAll(w);
            start(w, now);
          }
        } else if (o.primaryMs > 0) {
          inbox.push(job);
          primaryNext(now);
        } else place(job, now);
        break;
      }
      case 'dispatched': {
        primaryBusy = false;
        releaseCore(now);
        place(inbox.shift() as Job, now);
        primaryNext(now);
        break;
      }
      case 'deliver': {
        queues[e.worker].push({ born: e.born, recorded: e.recorded });
        if (!busy[e.worker]) start(e.worker, now);
        break;
      }
      case 'done': {
        const w = e.worker;
        const job = current[w] as Job;
        busy[w] = false;
        current[w] = null;
        if (job.recorded) {
          const ms = now - job.born;
          sum += ms;
          recorded++;
          served[w]++;
          hist.recordValue(Math.max(1, Math.round(ms * US)));
          lastDone = now;
        }
        releaseCore(now);
        if (o.placement.kind === 'race') {
          // Back in its event loop: it accepts everything waiting, or blocks in epoll again.
          acceptAll(w);
          if (queues[w].length === 0) sleepers.push(w);
        } else heap.push({ at: now + o.reportMs, type: 'report', worker: w });
        start(w, now);
        break;
      }
      case 'report': {
        // The connection closed and its request ended: what the primary learns, late by reportMs.
        const l = loads[e.worker];
        if (o.placement.kind === 'picker' && o.placement.reports !== 'none') {
          l.active--;
          l.requests--;
        }
        retryHeld(now);
        break;
      }
      case 'ack': {
        free.push(e.worker);
        const job = waiting.shift();
        if (job !== undefined) handTo(free.shift() as number, job, now);
        break;
      }
      case 'expire': {
        const k = held.findIndex((h) => h.id === e.id);
        if (k < 0 || o.placement.kind !== 'picker') break; // placed already
        const [job] = held.splice(k, 1);
        const p = o.placement.picker;
        handTo(p.fallback ? p.fallback(loads, pickRng) : 0, job, now);
        break;
      }
    }
  }
  return {
    requests: recorded,
    served,
    meanMs: recorded === 0 ? 0 : sum / recorded,
    p50Ms: hist.getValueAtPercentile(50) / US,
    p90Ms: hist.getValueAtPercentile(90) / US,
    p99Ms: hist.getValueAtPercentile(99) / US,
    maxMs: hist.maxValue / US,
    p999Ms: hist.getValueAtPercentile(99.9) / US,
    spanMs: lastDone - firstRecorded,
  };
}
