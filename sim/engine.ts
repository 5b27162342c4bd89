// The discrete-event core of `npm run simulate`: the bench's experiment (clients, connections, the
// primary, workers with their queues, the response path) in simulated time. Seeded; no wall-clock
// time; memory flat in the number of requests (latency in an HDR histogram). The model and every
// assumption's source: docs/simulate.md.
//
//   loads      open (Poisson or the bench's fixed schedule), burst (rounds of C fresh connections at
//              once), churn (C clients, a fresh connection per request), sustained (C keep-alive
//              connections), as runner/load/*.ts
//   processes  the load generator, the primary and each worker run one task at a time on shared
//              cores (cpu.ts: processor sharing, as the kernel time-slices them)
//   primary    each dispatch costs `primaryMs` of its CPU, in arrival order; the proxy's half of it
//              is on the response path
//   IPC        a handed connection reaches its worker `ipcMs` later; a worker's reports (closes,
//              requests in flight) reach the primary `reportMs` after the fact
//   rr         core's RoundRobinHandle: a free list; a worker leaves it when handed a connection and
//              returns when its acknowledgement arrives: it reads the handle when its event loop is
//              free (after the request it is running), and the ack takes ipcMs back; none free: the
//              primary queues
//   race       SCHED_NONE / the shared handle: the kernel's accept queue; a new connection wakes one
//              idle worker (by `wake`), which spends `acceptMs` of CPU before it accepts; a worker back
//              in its event loop accepts everything waiting
//   pickers    the strategy's own pick(loads, rng, conn), on the loads the primary would see; HOLD
//              keeps the connection (oldest first) until a report frees a worker, or its holdMs passes
//   workers    FIFO, one request at a time (CPU-bound service)
import { Int32Histogram } from 'hdr-histogram-js';
import { seededRng } from '../strategies/rng.js';
import { HOLD, type Picker, type WorkerLoad } from '../strategies/types.js';
import { type Cores, Cpu, Proc, SlicedCpu } from './cpu.js';
import { EventHeap, Fifo } from './heap.js';

/** How a connection reaches a worker. */
export type Placement =
  | { kind: 'rr' }
  /**
   * SCHED_NONE (and the shared handle, the same socket in every worker): the kernel's accept
   * queue, shared; a new connection wakes one idle worker blocked in epoll (which one: `wake`); a
   * worker back in its event loop accepts every connection waiting (libuv accepts until EAGAIN).
   * No primary on the path.
   */
  | { kind: 'race'; wake: 'lifo' | 'fifo' | 'random' }
  /** One central queue that an idle worker takes one connection from, free and at once: the queueing floor (M/G/N), no real mechanism. */
  | { kind: 'central' }
  /** SO_REUSEPORT: the kernel hashes each connection's 4-tuple to one worker's own socket (uniform over fresh ports). No primary on the path. */
  | { kind: 'reuseport' }
  /** The primary accepts every connection and relays its bytes to the workers in turn: its cost is on both paths. */
  | { kind: 'proxy' }
  | {
      kind: 'picker';
      picker: Picker;
      /** Which count the workers report back: `active` (closes), `requests` (in flight), or none. */
      reports: 'active' | 'requests' | 'none';
      /** The picker reads the client's address. */
      address?: boolean;
    };

/** What the clients do, as runner/load/*.ts. */
export type SimLoad =
  /** Fresh connections, one request each, arriving whatever the server does: Poisson (theory) or every 1/rate ms (the bench). */
  | { kind: 'open'; arrivals: 'poisson' | 'fixed'; rate: number; requests: number; warmup: number }
  /** Rounds of C fresh connections at once; the next round when all are answered. */
  | { kind: 'burst'; connections: number; rounds: number }
  /** C clients, each a fresh connection per request, one after the other, for durationMs. */
  | { kind: 'churn'; connections: number; durationMs: number }
  /** C keep-alive connections, placed once, each one request after the other, for durationMs. */
  | { kind: 'sustained'; connections: number; durationMs: number };

export interface SimOptions {
  workers: number;
  load: SimLoad;
  /** The work of a request, ms: the mean of exp, the value of fixed, what mixed burns on `percent`% of requests, what io waits. */
  serviceMs: number;
  /** io: the request waits serviceMs without its worker's CPU (a timer, as --work io:MS), the event loop free meanwhile. */
  service: 'exp' | 'fixed' | 'mixed' | 'io';
  /** mixed: the share of requests that burn serviceMs, percent. */
  percent?: number;
  /** Every request's fixed cost besides its work (HTTP parsing, the response), ms; calibrated from a run. */
  overheadMs?: number;
  seed: number;
  placement: Placement;
  /** The primary's CPU per dispatched connection, ms (0: free). */
  primaryMs: number;
  /** Handing a connection to a worker takes this long, ms. */
  ipcMs: number;
  /** A worker's report reaches the primary this long after the fact, ms. */
  reportMs: number;
  /** Cores the processes share (may be fractional); Infinity: one each. */
  cores?: number;
  /**
   * How processes share too few cores: `slices` as Linux does (the least CPU received runs, a slice at a
   * time; a woken process soon), `ps` processor sharing (all at cores / runnable). Default: slices where
   * the processes can outnumber whole cores, else ps (then it never matters: every process has a core).
   */
  sched?: 'ps' | 'slices';
  /**
   * How a request's work takes its time: `wall` as the servers burn it (spinning until the clock has
   * moved MS: it ends on time however little CPU it gets, servers/work.ts), `cpu` as CPU work (it
   * stretches when the process gets less than a core: the queueing models). Default wall; the same
   * whenever every process has a core.
   */
  burn?: 'wall' | 'cpu';
  /** slices: how long a process keeps a core while others wait, ms (default 1.5: EEVDF's base slice on 2 CPUs). */
  sliceMs?: number;
  /** The load generator's CPU per request, ms: half to send it, half to read the response. */
  clientMs?: number;
  /** race: a woken worker's CPU from its wake-up to its accept, ms. */
  acceptMs?: number;
  /** Loopback source addresses the clients spread over (--client-addrs); sticky hashes them. */
  clientAddrs?: number;
}

export interface SimResult {
  /** Recorded requests. */
  requests: number;
  /** Per worker: recorded requests served. */
  served: number[];
  /** Per worker: connections accepted (recorded or not). */
  connections: number[];
  /** Per round, per worker: recorded requests served (one round but for burst). */
  rounds: number[][];
  /** Response time (sent to read, from the scheduled time in an open loop), ms. */
  meanMs: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  p999Ms: number;
  maxMs: number;
  /** Simulated time of the recorded part, ms. */
  spanMs: number;
  /** CPU spent, ms. */
  cpuMs: { primary: number; workers: number; client: number };
}

/** A request's mean service time, ms: what the utilization is of. */
export const meanService = (o: Pick<SimOptions, 'service' | 'serviceMs' | 'percent' | 'overheadMs'>): number =>
  (o.overheadMs ?? 0) + (o.service === 'mixed' ? ((o.percent ?? 0) / 100) * o.serviceMs : o.service === 'io' ? 0 : o.serviceMs);

/** The open loop of theory: Poisson arrivals at `rho` of what `workers` serve at `meanMs` each. */
export const poissonLoad = (rho: number, workers: number, meanMs: number, requests: number, warmup: number): SimLoad => ({
  kind: 'open',
  arrivals: 'poisson',
  rate: (rho * workers) / meanMs,
  requests,
  warmup,
});

interface Conn {
  /** Its number in its load: picks its source address. */
  k: number;
  worker: number;
  /** When its current request was sent (an open loop: scheduled), ms. */
  born: number;
  recorded: boolean;
  round: number;
}

interface Ev {
  at: number;
  seq: number;
  fn: () => void;
}

/** Latency resolution: µs in the histogram. */
const US = 1000;

export function simulate(o: SimOptions): SimResult {
  const rng = seededRng(o.seed);
  const pickRng = seededRng(o.seed ^ 0x9e3779b9);
  const exp = (mean: number): number => -Math.log(1 - rng()) * mean;
  const overhead = o.overheadMs ?? 0;
  /** A request's work, ms, besides the overhead: what --work burns (io: 0, it waits). */
  const workTime = (): number =>
    o.service === 'exp'
      ? exp(o.serviceMs)
      : o.service === 'fixed'
        ? o.serviceMs
        : o.service === 'io'
          ? 0
          : rng() * 100 < (o.percent ?? 0)
            ? o.serviceMs
            : 0;
  const wallBurn = (o.burn ?? 'wall') === 'wall';
  const n = o.workers;
  const load = o.load;
  const p = o.placement;
  const events = new EventHeap<Ev>();
  let now = 0;
  const at = (t: number, fn: () => void): void => events.push({ at: t, fn });
  const cores = o.cores ?? Number.POSITIVE_INFINITY;
  const sched = o.sched ?? (Number.isInteger(cores) && cores < n + 2 ? 'slices' : 'ps');
  const cpu: Cores = sched === 'slices' ? new SlicedCpu(Math.max(1, Math.floor(cores)), o.sliceMs ?? 1.5) : new Cpu(cores);
  const procs = Array.from({ length: n }, () => new Proc());
  const primary = new Proc();
  const client = new Proc();
  const clientHalf = (o.clientMs ?? 0) / 2;
  const loads: WorkerLoad[] = Array.from({ length: n }, (_, i) => ({ id: i + 1, pid: 1000 + i, active: 0, served: 0, requests: 0 }));
  const served = new Array<number>(n).fill(0);
  const connections = new Array<number>(n).fill(0);
  const rounds: number[][] = [];
  const hist = new Int32Histogram(1, 2 ** 31 - 1, 3);
  let sum = 0;
  let recorded = 0;
  let firstRecorded = Number.NaN;
  let lastDone = 0;
  const reports = p.kind === 'picker' ? p.reports : 'none';
  const addrs = Math.max(1, o.clientAddrs ?? 1);
  const addressOf = (k: number): string => `127.0.0.${(k % addrs) + 1}`;

  // --- the client: sends (half its cost), reads (the other half) ---------------------------------
  const send = (c: Conn): void => cpu.run(client, { work: clientHalf, done: () => reachServer(c) });
  const fresh = (k: number, born: number, isRecorded: boolean, round: number): void => {
    const c: Conn = { k, worker: -1, born, recorded: isRecorded, round };
    if (isRecorded && Number.isNaN(firstRecorded)) firstRecorded = born;
    send(c);
  };
  const durationEnd = load.kind === 'churn' || load.kind === 'sustained' ? load.durationMs : 0;
  let round = 0;
  let outstanding = 0;
  const startRound = (): void => {
    if (load.kind !== 'burst' || round >= load.rounds) return;
    round++;
    rounds.push(new Array<number>(n).fill(0));
    outstanding = load.connections;
    for (let k = 0; k < load.connections; k++) fresh(k, now, true, round - 1);
  };
  const read = (c: Conn): void => {
    if (c.recorded) {
      const ms = now - c.born;
      sum += ms;
      recorded++;
      hist.recordValue(Math.max(1, Math.round(ms * US)));
      lastDone = now;
    }
    if (load.kind === 'burst') {
      if (--outstanding === 0) startRound();
    } else if (load.kind === 'churn') {
      if (now < durationEnd) fresh(c.k, now, true, 0);
    } else if (load.kind === 'sustained' && now < durationEnd) {
      c.born = now;
      send(c);
    }
  };
  const respond = (c: Conn): void => cpu.run(client, { work: clientHalf, done: () => read(c) });

  // --- the workers ---------------------------------------------------------------------------------
  const report = (w: number, active: number, requests: number): void => {
    if (reports === 'none') return;
    // The primary reads it in its event loop: on a core (when cores are short, it waits for one).
    at(now + o.reportMs, () =>
      cpu.run(primary, {
        work: 0,
        done: () => {
          loads[w].active -= active;
          loads[w].requests -= requests;
          retryHeld();
        },
      }),
    );
  };
  /** Request `c` answered by worker `w`: counted, reported, and its response on the way to the client. */
  const finished = (w: number, c: Conn): void => {
    if (c.recorded) {
      served[w]++;
      if (rounds.length > 0) rounds[c.round][w]++;
    }
    // Fresh connections close after their request; a keep-alive one at the end of the run.
    const closes = load.kind !== 'sustained' || now >= durationEnd;
    if (closes) report(w, 1, 1);
    else if (reports === 'requests') report(w, 0, 1);
    if (p.kind === 'proxy') cpu.run(primary, { work: o.primaryMs / 2, done: () => respond(c) });
    else respond(c);
  };
  const enqueue = (w: number, c: Conn): void => {
    if (race) asleep[w] = false;
    const burn = workTime();
    cpu.run(procs[w], {
      // The servers burn until the clock has moved (servers/work.ts): a hold of wall time, not CPU work.
      work: wallBurn ? overhead : overhead + burn,
      ...(wallBurn && burn > 0 && { wallMs: burn }),
      done: () => {
        // io: parsed, then a timer; the response is written when it fires (its sliver of CPU is in the overhead).
        if (o.service === 'io') at(now + o.serviceMs, () => finished(w, c));
        else finished(w, c);
        if (race) backInLoop(w);
      },
    });
  };
  const accepted = (w: number, c: Conn): void => {
    c.worker = w;
    connections[w]++;
    enqueue(w, c);
  };

  // --- the accept race (none, shared handle) and the central queue --------------------------------
  const race = p.kind === 'race' || p.kind === 'central';
  const backlog = new Fifo<Conn>();
  const asleep = new Array<boolean>(n).fill(race);
  // Idle workers blocked in epoll, in the order they blocked; an entry is stale once its worker woke.
  let sleepers: number[] = race ? Array.from({ length: n }, (_, i) => i) : [];
  let sleepersHead = 0;
  /** Worker `w` accepts what waits (all, or one): how many it took. */
  const takeBacklog = (w: number, all: boolean): number => {
    let took = 0;
    for (let c = backlog.shift(); c !== undefined; c = all ? backlog.shift() : undefined) {
      loads[w].served++;
      took++;
      accepted(w, c);
    }
    return took;
  };
  const sleep = (w: number): void => {
    asleep[w] = true;
    sleepers.push(w);
  };
  // A worker back in its event loop takes what waits (all of it: libuv accepts until EAGAIN; the central queue: one), or blocks again.
  const backInLoop = (w: number): void => {
    takeBacklog(w, p.kind === 'race');
    if (procs[w].waiting === 0 && !asleep[w]) sleep(w);
  };
  const wakeOne = (): number => {
    const order = p.kind === 'race' ? p.wake : 'fifo';
    while (sleepersHead < sleepers.length) {
      let i: number;
      if (order === 'lifo') i = sleepers.length - 1;
      else if (order === 'fifo') i = sleepersHead;
      else i = sleepersHead + Math.floor(pickRng() * (sleepers.length - sleepersHead));
      const w = sleepers[i];
      // Remove it: lifo and random swap the last in; fifo moves the head.
      if (i === sleepersHead) sleepersHead++;
      else {
        sleepers[i] = sleepers[sleepers.length - 1];
        sleepers.pop();
      }
      if (sleepersHead > 1024 && sleepersHead * 2 > sleepers.length) {
        sleepers = sleepers.slice(sleepersHead);
        sleepersHead = 0;
      }
      if (asleep[w]) {
        asleep[w] = false;
        return w;
      }
    }
    return -1;
  };
  const acceptMs = p.kind === 'race' ? (o.acceptMs ?? 0) : 0;
  const arriveRace = (c: Conn): void => {
    backlog.push(c);
    const w = wakeOne();
    if (w < 0) return;
    // Woken: it takes acceptMs of CPU to reach accept(); a worker back in its loop meanwhile may take the connection first.
    cpu.run(procs[w], {
      work: acceptMs,
      done: () => {
        if (takeBacklog(w, p.kind === 'race') === 0 && procs[w].waiting === 0) sleep(w);
      },
    });
  };

  // --- the primary: rr, the pickers, the proxy -----------------------------------------------------
  const free = new Fifo<number>();
  for (let i = 0; i < n; i++) free.push(i);
  const waiting = new Fifo<Conn>();
  const held: Array<{ c: Conn; id: number }> = [];
  let heldIds = 0;
  let proxyNext = 0;
  const handTo = (w: number, c: Conn): void => {
    loads[w].served++;
    loads[w].active++;
    loads[w].requests++;
    // The handle reaches the worker's event loop: it takes it after whatever it is running, then acknowledges (rr).
    at(now + o.ipcMs, () =>
      cpu.run(procs[w], {
        work: 0,
        done: () => {
          if (p.kind === 'rr') at(now + o.ipcMs, () => cpu.run(primary, { work: 0, done: () => ackFrom(w) }));
          accepted(w, c);
        },
      }),
    );
  };
  // rr: the acknowledgement puts the worker back on the free list.
  const ackFrom = (w: number): void => {
    free.push(w);
    const next = waiting.shift();
    if (next !== undefined) handTo(free.shift() as number, next);
  };
  const pick = (c: Conn | undefined): number => {
    if (p.kind !== 'picker') return 0;
    return p.picker.pick(loads, pickRng, p.address && c ? { remoteAddress: addressOf(c.k) } : undefined);
  };
  const place = (c: Conn): void => {
    if (p.kind === 'rr') {
      const w = free.shift();
      if (w === undefined) waiting.push(c);
      else handTo(w, c);
    } else if (p.kind === 'proxy') {
      handTo(proxyNext, c);
      proxyNext = (proxyNext + 1) % n;
    } else if (p.kind === 'picker') {
      const i = pick(c);
      if (i !== HOLD) {
        handTo(i, c);
        return;
      }
      const id = heldIds++;
      held.push({ c, id });
      at(now + (p.picker.holdMs ?? 200), () => {
        const k = held.findIndex((h) => h.id === id);
        if (k < 0) return; // placed already
        const [h] = held.splice(k, 1);
        handTo(p.picker.fallback ? p.picker.fallback(loads, pickRng) : 0, h.c);
      });
    }
  };
  const retryHeld = (): void => {
    while (held.length > 0) {
      const i = pick(held[0].c);
      if (i === HOLD) return;
      handTo(i, (held.shift() as { c: Conn }).c);
    }
  };

  // A connection (or a keep-alive request) reaches the server.
  const reachServer = (c: Conn): void => {
    if (c.worker >= 0) {
      if (reports === 'requests')
        at(now + o.ipcMs, () =>
          cpu.run(primary, {
            work: 0,
            done: () => {
              loads[c.worker].requests++;
            },
          }),
        );
      enqueue(c.worker, c);
      return;
    }
    if (p.kind === 'reuseport') {
      const w = Math.floor(pickRng() * n);
      loads[w].served++;
      accepted(w, c);
    } else if (race) arriveRace(c);
    else cpu.run(primary, { work: p.kind === 'proxy' ? o.primaryMs / 2 : o.primaryMs, done: () => place(c) });
  };

  // --- the load ------------------------------------------------------------------------------------
  if (load.kind === 'open') {
    rounds.push(new Array<number>(n).fill(0));
    let i = 0;
    const arrive = (): void => {
      const k = i++;
      fresh(k, now, k >= load.warmup, 0);
      if (i < load.requests) at(load.arrivals === 'poisson' ? now + exp(1 / load.rate) : i / load.rate, arrive);
    };
    at(load.arrivals === 'poisson' ? exp(1 / load.rate) : 0, arrive);
  } else if (load.kind === 'burst') at(0, startRound);
  else {
    rounds.push(new Array<number>(n).fill(0));
    at(0, () => {
      for (let k = 0; k < load.connections; k++) fresh(k, 0, true, 0);
    });
  }

  for (;;) {
    const te = events.peek()?.at ?? Number.POSITIVE_INFINITY;
    const tc = cpu.nextAt();
    if (te === Number.POSITIVE_INFINITY && tc === Number.POSITIVE_INFINITY) break;
    if (tc < te) {
      cpu.advance(tc);
      now = tc;
      cpu.complete();
    } else {
      const e = events.pop() as Ev;
      cpu.advance(e.at);
      now = Math.max(now, e.at);
      e.fn();
    }
  }
  return {
    requests: recorded,
    served,
    connections,
    rounds,
    meanMs: recorded === 0 ? 0 : sum / recorded,
    p50Ms: hist.getValueAtPercentile(50) / US,
    p90Ms: hist.getValueAtPercentile(90) / US,
    p99Ms: hist.getValueAtPercentile(99) / US,
    p999Ms: hist.getValueAtPercentile(99.9) / US,
    maxMs: hist.maxValue / US,
    spanMs: lastDone - firstRecorded,
    cpuMs: { primary: primary.spent, workers: procs.reduce((a, w) => a + w.spent, 0), client: client.spent },
  };
}
