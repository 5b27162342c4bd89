// Properties of the metrics, on random inputs: the invariants the README's Metrics section implies, not
// worked examples (those are in test/runner/metrics.test.ts). Fairness of per-worker counts
// (Jain in [1/N, 1], CV >= 0, max/min >= 1 or null, top share in [1/N, 1], Jain = 1 / (1 + CV^2));
// shares that sum to 1 (runner/metrics.ts and a whole strategy through runner/summarize.ts);
// no response at all is no data, not a perfect score; percentiles in order, from the exact
// summary and from the HDR histograms of runner/tally.ts; median and spread of format/stats.ts.
import fc from 'fast-check';
import { test } from 'uvu';
import type { LatencySummary } from '../../format/schema.js';
import { median, sameRepRatios, spreadOf } from '../../format/stats.js';
import type { Snapshot } from '../../runner/cluster/protocol.js';
import { cv, fairness, jain, percentile, percentileSorted, shares, topShare } from '../../runner/metrics.js';
import { reconcileRound } from '../../runner/reconcile.js';
import { summarize } from '../../runner/summarize.js';
import { runs, SEED } from '../helpers/property.js';
import { ok, tallyOf } from '../helpers/records.js';

const EPS = 1e-9;
const options = (numRuns: number) => ({ seed: SEED, numRuns: runs(numRuns), includeErrorInReport: true });
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);

function check(cond: boolean, what: string, detail?: unknown): void {
  if (!cond) throw new Error(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)}`}`);
}

/** Requests per worker: 1 to 64 workers, small counts (ties, zeros) or huge ones; at least one > 0. */
const counts = fc
  .array(fc.oneof(fc.nat({ max: 5 }), fc.nat({ max: 1000 }), fc.nat({ max: 2 ** 31 - 1 })), { minLength: 1, maxLength: 64 })
  .filter((xs) => xs.some((x) => x > 0));
const topShares = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 });

test('fairness of any counts: Jain in [1/N, 1], CV >= 0, max/min >= 1 or null (a worker with 0), top share in [1/N, 1] (1000 runs)', () => {
  fc.assert(
    fc.property(counts, topShares, (xs, rounds) => {
      const n = xs.length;
      const m = fairness(xs, rounds);
      check(m.noData === undefined, 'no noData when something was counted', m);
      const j = m.jain as number;
      check(j >= 1 / n - EPS && j <= 1 + EPS, `Jain ${j} in [1/${n}, 1]`);
      check((m.cv as number) >= 0, 'CV >= 0', m.cv);
      // Jain's index and the population CV are one number seen twice.
      check(Math.abs(j - 1 / (1 + (m.cv as number) ** 2)) < 1e-9, 'Jain = 1 / (1 + CV^2)', m);
      if (xs.includes(0)) check(m.maxMin === null, 'max/min null when a worker got nothing', m);
      else check((m.maxMin as number) >= 1, 'max/min >= 1', m.maxMin);
      const t = m.topShare as number;
      check(t >= 1 / n - EPS && t <= 1 + EPS, `top share ${t} in [1/${n}, 1]`);
      check(t === Math.max(...shares(xs)), 'top share = the largest share');
      const equal = xs.every((x) => x === xs[0]);
      check(
        !equal || (Math.abs(j - 1) < EPS && m.cv === 0 && m.maxMin === 1 && Math.abs(t - 1 / n) < EPS),
        'equal counts: a perfect score',
        m,
      );
      if (rounds.length === 0) check(m.roundSkew === null, 'no round: no round skew');
      else
        check(
          (m.roundSkew as number) >= Math.min(...rounds) && (m.roundSkew as number) <= Math.max(...rounds),
          'round skew is one of the rounds',
        );
    }),
    options(1000),
  );
});

test('fairness does not depend on the order of the workers or the scale of the counts (500 runs)', () => {
  fc.assert(
    fc.property(
      counts.filter((xs) => Math.max(...xs) <= 1e6),
      fc.integer({ min: 2, max: 1000 }),
      fc.nat(),
      (xs, k, rot) => {
        const a = fairness(xs, []);
        const rotated = [...xs.slice(rot % xs.length), ...xs.slice(0, rot % xs.length)];
        for (const b of [
          fairness(rotated, []),
          fairness(
            xs.map((x) => x * k),
            [],
          ),
        ])
          for (const key of ['jain', 'cv', 'maxMin', 'topShare'] as const)
            check(Math.abs((a[key] ?? NaN) - (b[key] ?? NaN)) < 1e-9 || a[key] === b[key], key, { a, b });
      },
    ),
    options(500),
  );
});

test('all-zero counts: every metric null and noData said, not a perfect score (any N)', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 64 }), topShares, (n, rounds) => {
      const m = fairness(new Array(n).fill(0), rounds);
      check(m.jain === null && m.cv === null && m.maxMin === null && m.topShare === null && m.roundSkew === null, 'every metric null', m);
      check(typeof m.noData === 'string' && m.noData.length > 0, 'noData says why', m);
      check(
        shares(new Array(n).fill(0)).every((s) => s === 0),
        'no shares',
      );
    }),
    options(64),
  );
});

test('shares of any counts: each in [0, 1], summing to 1; the raw helpers agree with fairness() (1000 runs)', () => {
  fc.assert(
    fc.property(counts, (xs) => {
      const s = shares(xs);
      check(s.length === xs.length && s.every((x) => x >= 0 && x <= 1), 'each share in [0, 1]', s);
      check(Math.abs(sum(s) - 1) < EPS, `shares sum to 1 (${sum(s)})`);
      check(topShare(xs) === Math.max(...s), 'topShare = max share');
      check(jain(xs) === fairness(xs, []).jain && cv(xs) === fairness(xs, []).cv, 'jain() and cv() as fairness() reports them');
    }),
    options(1000),
  );
});

/** A strategy's client records and the workers' counters for it: `perRound[r][k]` ok responses from worker k in round r. */
const strategyCounts = fc
  .integer({ min: 1, max: 16 })
  .chain((n) => fc.array(fc.array(fc.nat({ max: 12 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 4 }));

test('a whole strategy through summarize(): shares sum to 1 (or, nothing answered: all 0 and noData), fairness of the client counts (200 runs)', () => {
  fc.assert(
    fc.property(
      strategyCounts,
      fc.array(fc.integer({ min: 1, max: 5_000_000 }), { minLength: 1, maxLength: 50 }),
      (perRound, latencies) => {
        const n = perRound[0].length;
        const workers = Array.from({ length: n }, (_, k) => ({ id: k + 1, pid: 1000 + k }));
        let li = 0;
        const records = perRound.flatMap((row, r) =>
          row.flatMap((c, k) => Array.from({ length: c }, () => ok(r + 1, 1000 + k, latencies[li++ % latencies.length], r * 100))),
        );
        const tally = tallyOf(workers, records);
        // The workers counted exactly what the client saw: cumulative counters after each round.
        const snapshots: Snapshot[] = [{ workers: workers.map((w) => ({ ...w, requests: 0, connections: 0, cpuUs: 0 })), primaryCpuUs: 0 }];
        for (const row of perRound) {
          const prev = snapshots[snapshots.length - 1];
          snapshots.push({
            workers: prev.workers.map((w, k) => ({ ...w, requests: w.requests + row[k], connections: w.connections + row[k] })),
            primaryCpuUs: 0,
          });
        }
        const rounds = perRound.map((row, r) =>
          reconcileRound(r + 1, sum(row), tally.round(r + 1), workers, snapshots[r], snapshots[r + 1], 10),
        );
        const s = summarize({
          name: 'rr',
          kind: 'native',
          description: 'rr',
          workers,
          rounds: rounds.map((x) => x.round),
          tally,
          problems: rounds.flatMap((x) => x.problems),
          first: snapshots[0],
          last: snapshots[snapshots.length - 1],
          loadGenCpuUs: 0,
          loadWallMs: 10,
        });
        const client = workers.map((_, k) => sum(perRound.map((row) => row[k])));
        check(s.totals.accounted, 'accounted', s.problems);
        check(
          s.perWorker.every((w, k) => w.client === client[k] && w.server === client[k]),
          'per-worker counts',
        );
        const total = sum(s.perWorker.map((w) => w.share));
        if (sum(client) === 0) {
          check(total === 0 && s.metrics.noData !== undefined && s.metrics.jain === null, 'nothing answered: no shares, noData', s.metrics);
          check(s.latencyMs === null, 'no latency');
          return;
        }
        check(Math.abs(total - 1) < EPS, `shares sum to 1 (${total})`);
        const m = fairness(client, []);
        check(
          s.metrics.jain === m.jain && s.metrics.cv === m.cv && s.metrics.topShare === m.topShare,
          'metrics of the client counts',
          s.metrics,
        );
        check(
          s.rounds.every((r) => r.topShare >= 0 && r.topShare <= 1),
          'round top shares in [0, 1]',
        );
        ordered(s.latencyMs as LatencySummary, 'strategy');
        for (const w of s.perWorker) if (w.latencyMs !== null) ordered(w.latencyMs, `worker ${w.pid}`);
      },
    ),
    options(200),
  );
});

function ordered(l: LatencySummary, what: string): void {
  check(l.p50 <= l.p90 && l.p90 <= l.p99 && l.p99 <= l.p999 && l.p999 <= l.max, `${what}: p50 <= p90 <= p99 <= p99.9 <= max`, l);
}

/** Latencies in whole microseconds (as the load generators record them): a few or many, clustered or spread over 1 µs .. 1 h. */
const latenciesUs = fc.array(
  fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 3_600_000_000 })),
  { minLength: 1, maxLength: 400 },
);

test('nearest-rank percentile: a sample, with at least p% of the samples at or below it and fewer than p% below (500 runs)', () => {
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 200 }),
      fc.double({ min: 0.001, max: 100, noNaN: true }),
      (xs, p) => {
        const v = percentile(xs, p);
        const need = (p * xs.length) / 100;
        check(xs.includes(v), 'a sample');
        check(xs.filter((x) => x <= v).length >= need - 1e-6, 'at least p% at or below', { v, need });
        check(xs.filter((x) => x < v).length < need + 1e-6, 'fewer than p% below', { v, need });
        const sorted = [...xs].sort((a, b) => a - b);
        check(percentileSorted(sorted, Math.min(100, p + 1)) >= v, 'monotone in p');
      },
    ),
    options(500),
  );
});

test('HDR latency (runner/tally.ts): p50 <= p90 <= p99 <= p99.9 <= max, max and mean exact, curve monotone, each percentile near the exact one (300 runs)', () => {
  fc.assert(
    fc.property(latenciesUs, fc.integer({ min: 1, max: 4 }), (us, n) => {
      const workers = Array.from({ length: n }, (_, k) => ({ id: k + 1, pid: 2000 + k }));
      const t = tallyOf(
        workers,
        us.map((l, i) => ok(1, 2000 + (i % n), l)),
      );
      const { summary, curve } = t.latency();
      if (summary === null) throw new Error('records but no summary');
      ordered(summary, 'all');
      const hi = Math.max(...us);
      check(summary.max === Math.round(hi) / 1000, 'max exact', { summary, hi });
      check(summary.mean * 1000 >= Math.min(...us) - 0.5 && summary.mean * 1000 <= hi + 0.5, 'mean within [min, max]', summary);
      check(
        curve.every((c, i) => i === 0 || c.ms >= curve[i - 1].ms),
        'curve never goes down',
        curve,
      );
      check(curve[curve.length - 1].ms <= summary.max, 'curve ends at or below max', { curve, summary });
      // Histogram buckets: 3 significant digits. The reported value is the lower bound of the bucket
      // of the exact percentile (between nearest-rank neighbours), never above it and within 0.1%.
      const sorted = [...us].sort((a, b) => a - b);
      for (const [p, got] of [
        [50, summary.p50],
        [90, summary.p90],
        [99, summary.p99],
        [99.9, summary.p999],
      ] as const) {
        const exact = percentileSorted(sorted, p);
        check(got * 1000 <= exact && got * 1000 >= exact * (1 - 1e-3) - 1, `p${p} ${got} ms within 0.1% below the exact ${exact} µs`, {
          n: us.length,
        });
      }
      for (const w of workers) {
        const l = t.latency(w.pid).summary;
        if (l) ordered(l, `worker ${w.pid}`);
      }
    }),
    options(300),
  );
});

test('format/stats.ts: median within [min, max] and order-free; spread lo <= mid <= hi; same-rep ratios only where both ran (500 runs)', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: -1e9, max: 1e9, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
      const m = median(xs);
      check(m >= Math.min(...xs) && m <= Math.max(...xs), 'median within [min, max]', { m });
      check(median([...xs].reverse()) === m, 'order-free');
      const s = spreadOf(xs);
      check(s.lo <= s.mid && s.mid <= s.hi && s.n === xs.length, 'lo <= mid <= hi', s);
    }),
    options(500),
  );
  fc.assert(
    fc.property(
      // Measured values: req/s, ms, counts (0, or at least a thousandth: a denormal baseline gives Infinity).
      fc.array(
        fc.record({
          strategy: fc.constantFrom('rr', 'none'),
          rep: fc.nat({ max: 5 }),
          value: fc.oneof(fc.constant(0), fc.double({ min: 1e-3, max: 1e6, noNaN: true })),
        }),
      ),
      (samples) => {
        const r = sameRepRatios(samples, 'none', 'rr');
        check(
          r.every((x) => Number.isFinite(x) && x >= 0),
          'finite ratios',
          r,
        );
        check(r.length <= samples.filter((s) => s.strategy === 'none').length, 'at most one per sample');
      },
    ),
    options(300),
  );
});

test.run();
