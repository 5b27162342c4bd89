// One strategy's client records, aggregated as they arrive, so memory stays flat however long a
// run is: per round and worker counts, errors by code, latency histograms (overall and per
// worker, ok responses only; and one of every request that came back, failures at their time to
// failure, so a strategy that times out cannot look faster), ok responses per second and worker. Each record is then handed to
// the raw-rows sink, if any, and dropped.
//
// Latency is kept in HDR histograms (hdr-histogram-js, 3 significant digits): a percentile is
// the lower bound of its bucket, within 0.1% of the exact value (exact below 2.048 ms); the
// mean and the max are exact.
import { decodeFromCompressedBase64, encodeIntoCompressedBase64, Int32Histogram } from 'hdr-histogram-js';
import type { RequestRecord } from '../format/requests.js';
import type { LatencySummary, SeriesPoint, WorkerRef } from '../format/schema.js';
import { CURVE_PERCENTILES } from './metrics.js';

export const UNKNOWN_PID = 'UNKNOWN_PID';
/** Latencies above an hour are clamped (a record still counts). */
const MAX_US = 3_600_000_000;
export const LATENCY_DIGITS = 3;

export type RecordSink = (rec: RequestRecord) => void;

/** What the client saw in one round. */
export interface RoundTally {
  /** Records (responses and failures) that came back. */
  records: number;
  /** 2xx responses carrying a worker's pid. */
  ok: number;
  /** Responses per worker pid (any status), every worker present. */
  counts: Record<string, number>;
  /** Responses carrying a pid that is none of the workers'. */
  unknown: number;
  /** Failed records by error code (the first cause of each). */
  errors: Record<string, number>;
}

/** A latency histogram as it travels from a client process (--clients) to the runner. */
export interface LatencyExport {
  hist: string;
  sumUs: number;
  maxUs: number;
}

class Latency {
  private readonly h = new Int32Histogram(1, MAX_US, LATENCY_DIGITS);
  private sumUs = 0;
  private maxUs = 0;

  export(): LatencyExport {
    return { hist: encodeIntoCompressedBase64(this.h), sumUs: this.sumUs, maxUs: this.maxUs };
  }

  absorb(e: LatencyExport): void {
    // decode builds a JS histogram (no WebAssembly here), which is what JsHistogram.add takes.
    this.h.add(decodeFromCompressedBase64(e.hist) as unknown as Int32Histogram);
    this.sumUs += e.sumUs;
    this.maxUs = Math.max(this.maxUs, e.maxUs);
  }

  add(us: number): void {
    // Whole microseconds, at least 1: the same value for the histogram, the mean and the max, so p50 <= max always.
    const v = Math.min(MAX_US, Math.max(1, Math.round(us)));
    this.h.recordValue(v);
    this.sumUs += v;
    this.maxUs = Math.max(this.maxUs, v);
  }

  get count(): number {
    return this.h.totalCount;
  }

  /** Add another's values (its sum and max too). */
  merge(o: Latency): void {
    this.h.add(o.h);
    this.sumUs += o.sumUs;
    this.maxUs = Math.max(this.maxUs, o.maxUs);
  }

  /** The histogram itself (µs), for the interval log. */
  get histogram(): Int32Histogram {
    return this.h;
  }

  /** ms, 3 decimals; zeros when empty. */
  private ms(p: number): number {
    if (this.count === 0) return 0;
    const us = p >= 100 ? this.maxUs : this.h.lowestEquivalentValue(this.h.getValueAtPercentile(p));
    return Math.round(us) / 1000;
  }

  /** Null (and no curve) when nothing was recorded: no latency is not zero latency. */
  summary(): { summary: LatencySummary | null; curve: Array<{ p: number; ms: number }> } {
    if (this.count === 0) return { summary: null, curve: [] };
    const mean = this.count === 0 ? 0 : Math.round(this.sumUs / this.count) / 1000;
    return {
      summary: { p50: this.ms(50), p90: this.ms(90), p99: this.ms(99), p999: this.ms(99.9), max: this.ms(100), mean },
      curve: CURVE_PERCENTILES.map((p) => ({ p, ms: this.ms(p) })),
    };
  }
}

/** Everything a tally holds but its rounds (those travel one by one), to merge tallies of several client processes. */
export interface TallyExport {
  received: number;
  errorsByCode: Record<string, number>;
  all: LatencyExport;
  /** Every record, failures included at their time to failure. */
  withFailures: LatencyExport;
  perPid: Array<[number, LatencyExport]>;
  seconds: Array<[number, Array<[number, number]>]>;
  /** --client-addrs: responses per source address index and worker pid. */
  bySource?: Array<[number, Array<[number, number]>]>;
}

export class Tally {
  readonly errorsByCode: Record<string, number> = {};
  /** Records that came back, all rounds. */
  received = 0;
  private readonly pids: Set<number>;
  private readonly rounds = new Map<number, RoundTally>();
  private readonly all = new Latency();
  private readonly withFailures = new Latency();
  /** --fault reload: ok responses while the restart ran, and the others. */
  private readonly inWindow = new Latency();
  private readonly outWindow = new Latency();
  private windowOpen = false;
  private windowUsed = false;
  private readonly perPid = new Map<number, Latency>();
  private readonly seconds = new Map<number, Map<number, number>>();
  /** --client-addrs: source address index -> worker pid -> responses. */
  private readonly bySource = new Map<number, Map<number, number>>();
  private lastSecond = -1;

  /** With `discover` (an external target: its workers are not known in advance), each new pid joins the workers. */
  constructor(
    workers: readonly WorkerRef[],
    private readonly raw?: RecordSink,
    private readonly discover = false,
  ) {
    this.workers = [...workers];
    this.pids = new Set(workers.map((w) => w.pid));
  }

  /** The workers: given, plus (with `discover`) every pid seen, in the order first seen. */
  readonly workers: WorkerRef[];

  /** One record. A response from a pid that is none of the workers' is an error (UNKNOWN_PID) unless it already failed otherwise: the first cause is kept. */
  readonly add = (rec: RequestRecord): void => {
    this.received++;
    const round = this.round(rec.round);
    round.records++;
    if (this.discover && rec.pid !== 0 && !this.pids.has(rec.pid)) this.addWorker({ id: this.workers.length + 1, pid: rec.pid });
    const known = rec.pid === 0 || this.pids.has(rec.pid);
    if (!known) {
      round.unknown++;
      rec.error ??= UNKNOWN_PID;
    } else if (rec.pid !== 0) {
      round.counts[rec.pid]++;
      if (rec.src !== undefined) bump(this.bySource, rec.src, rec.pid, 1);
    }
    this.withFailures.add(rec.latencyUs);
    if (rec.error === null) {
      round.ok++;
      this.all.add(rec.latencyUs);
      if (this.windowUsed) (this.windowOpen ? this.inWindow : this.outWindow).add(rec.latencyUs);
      this.latencyOf(rec.pid).add(rec.latencyUs);
      const s = Math.floor(rec.atMs / 1000);
      this.lastSecond = Math.max(this.lastSecond, s);
      const m = this.seconds.get(s) ?? new Map<number, number>();
      m.set(rec.pid, (m.get(rec.pid) ?? 0) + 1);
      this.seconds.set(s, m);
    } else {
      this.errorsByCode[rec.error] = (this.errorsByCode[rec.error] ?? 0) + 1;
      round.errors[rec.error] = (round.errors[rec.error] ?? 0) + 1;
    }
    this.raw?.(rec);
  };

  /** --fault reload: responses from now on count inside the restart's window (true) or outside it (false). */
  window(open: boolean): void {
    if (open && !this.windowUsed) {
      // Everything before counts as outside: the histogram of all responses so far is where it starts.
      this.outWindow.merge(this.all);
      this.windowUsed = true;
    }
    this.windowOpen = open;
  }

  /** Latency inside and outside the reload window; null without a reload. */
  windowLatency(): { inside: LatencySummary | null; outside: LatencySummary | null } | null {
    return this.windowUsed ? { inside: this.inWindow.summary().summary, outside: this.outWindow.summary().summary } : null;
  }

  /** A worker that joined after the start (a replacement, --respawn; or a target's pid first seen). */
  addWorker(w: WorkerRef): void {
    if (this.pids.has(w.pid)) return;
    this.workers.push(w);
    this.pids.add(w.pid);
    for (const r of this.rounds.values()) r.counts[w.pid] ??= 0;
  }

  /** The client's view of round `index` so far (every worker present). */
  round(index: number): RoundTally {
    let r = this.rounds.get(index);
    if (!r) {
      r = { records: 0, ok: 0, counts: Object.fromEntries(this.workers.map((w) => [String(w.pid), 0])), unknown: 0, errors: {} };
      this.rounds.set(index, r);
    }
    return r;
  }

  /** Latency of every request that came back, a failure at its time to failure (a timeout at its deadline). */
  latencyWithFailures(): LatencySummary | null {
    return this.withFailures.summary().summary;
  }

  /** Latency of ok responses: all of them, or one worker's. */
  latency(pid?: number): { summary: LatencySummary | null; curve: Array<{ p: number; ms: number }> } {
    return (pid === undefined ? this.all : this.latencyOf(pid)).summary();
  }

  /** The histograms of ok responses (µs): all, and each worker's that answered, for latency.hlog. */
  histograms(): { all: Int32Histogram; perPid: Array<[number, Int32Histogram]> } {
    return { all: this.all.histogram, perPid: [...this.perPid].map(([pid, l]) => [pid, l.histogram]) };
  }

  /** --client-addrs: where each source address's connections went (responses per worker pid), by address index. */
  placement(): Array<{ src: number; counts: Record<string, number> }> {
    return [...this.bySource]
      .sort((a, b) => a[0] - b[0])
      .map(([src, m]) => ({ src, counts: Object.fromEntries([...m].map(([pid, n]) => [String(pid), n])) }));
  }

  /** What a live view shows: a burst's round so far, or a timed load's last whole second, per worker (in the workers' order). */
  live(round: number): { step: string; counts: number[] } {
    if (this.lastSecond >= 1) {
      const m = this.seconds.get(this.lastSecond - 1);
      return { step: `second ${this.lastSecond}`, counts: this.workers.map((w) => m?.get(w.pid) ?? 0) };
    }
    const r = this.rounds.get(round);
    return { step: `round ${round}`, counts: this.workers.map((w) => r?.counts[w.pid] ?? 0) };
  }

  /** Ok responses per second and worker, every worker present in every second. */
  series(): SeriesPoint[] {
    const out: SeriesPoint[] = [];
    for (let s = 0; s <= this.lastSecond; s++)
      for (const w of this.workers) out.push({ second: s, pid: w.pid, count: this.seconds.get(s)?.get(w.pid) ?? 0 });
    return out;
  }

  /** This tally's latency, errors and series, for another process's tally to absorb. */
  export(): TallyExport {
    return {
      received: this.received,
      errorsByCode: this.errorsByCode,
      all: this.all.export(),
      withFailures: this.withFailures.export(),
      perPid: [...this.perPid].map(([pid, l]) => [pid, l.export()]),
      seconds: [...this.seconds].map(([s, m]) => [s, [...m]]),
      ...(this.bySource.size > 0 && { bySource: [...this.bySource].map(([src, m]) => [src, [...m]]) }),
    };
  }

  /** Merge a client process's tally (its rounds came with `absorbRound`). */
  absorb(e: TallyExport): void {
    this.received += e.received;
    for (const [code, n] of Object.entries(e.errorsByCode)) this.errorsByCode[code] = (this.errorsByCode[code] ?? 0) + n;
    this.all.absorb(e.all);
    this.withFailures.absorb(e.withFailures);
    for (const [pid, l] of e.perPid) this.latencyOf(pid).absorb(l);
    for (const [src, pairs] of e.bySource ?? []) for (const [pid, n] of pairs) bump(this.bySource, src, pid, n);
    for (const [s, pairs] of e.seconds) {
      this.lastSecond = Math.max(this.lastSecond, s);
      const m = this.seconds.get(s) ?? new Map<number, number>();
      for (const [pid, n] of pairs) m.set(pid, (m.get(pid) ?? 0) + n);
      this.seconds.set(s, m);
    }
  }

  /** Add a client process's view of round `index`. */
  absorbRound(index: number, r: RoundTally): void {
    const mine = this.round(index);
    mine.records += r.records;
    mine.ok += r.ok;
    mine.unknown += r.unknown;
    for (const [pid, n] of Object.entries(r.counts)) mine.counts[pid] = (mine.counts[pid] ?? 0) + n;
    for (const [code, n] of Object.entries(r.errors ?? {})) mine.errors[code] = (mine.errors[code] ?? 0) + n;
  }

  private latencyOf(pid: number): Latency {
    let l = this.perPid.get(pid);
    if (!l) {
      l = new Latency();
      this.perPid.set(pid, l);
    }
    return l;
  }
}

function bump(m: Map<number, Map<number, number>>, key: number, pid: number, n: number): void {
  const inner = m.get(key) ?? new Map<number, number>();
  inner.set(pid, (inner.get(pid) ?? 0) + n);
  m.set(key, inner);
}
