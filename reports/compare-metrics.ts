// What compare compares: every metric (its direction, scale, threshold, value and text), the
// ranked shares, and the gates. Adding a compared metric is an entry in METRICS.
import type { MeasuredStrategy } from '../format/schema.js';
import { msText, pct } from './text.js';

export interface MetricDef {
  label: string;
  /** Fairness: absolute difference (values near [0, 1]); speed and cost: ratio (tested on logs). */
  kind: 'fairness' | 'speed' | 'cost';
  better: 'higher' | 'lower';
  unit: string;
  /**
   * The smallest change worth a verdict: fairness as an absolute difference (Jain 0.02), speed and
   * cost as a fraction of the baseline (req/s 0.10 = 10%). Noise is the test's business, not this.
   */
  threshold: number;
  /** null: nothing to compare (no response came back). */
  value(s: MeasuredStrategy): number | null;
  /** A value as the tables print it. */
  text(x: number): string;
}

const share = (x: number): string => `${pct(x)}%`;
const us = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const connections = (s: MeasuredStrategy): number => s.perWorker.reduce((a, w) => a + w.connections, 0);
const perUnit = (cpuMs: number | undefined, n: number): number | null => (cpuMs === undefined || n <= 0 ? null : (cpuMs * 1000) / n);

/** Every compared metric, in table order: adding one is an entry here. */
export const METRICS = {
  jain: {
    label: 'Jain',
    kind: 'fairness',
    better: 'higher',
    unit: '',
    threshold: 0.02,
    value: (s) => s.metrics.jain,
    text: (x) => x.toFixed(4),
  },
  cv: { label: 'CV', kind: 'fairness', better: 'lower', unit: '', threshold: 0.05, value: (s) => s.metrics.cv, text: (x) => x.toFixed(3) },
  roundSkew: {
    label: 'round skew',
    kind: 'fairness',
    better: 'lower',
    unit: 'share',
    threshold: 0.1,
    value: (s) => s.metrics.roundSkew,
    text: share,
  },
  topShare: {
    label: 'top share',
    kind: 'fairness',
    better: 'lower',
    unit: 'share',
    threshold: 0.05,
    value: (s) => s.metrics.topShare,
    text: share,
  },
  rps: {
    label: 'req/s',
    kind: 'speed',
    better: 'higher',
    unit: 'req/s',
    threshold: 0.1,
    value: (s) => (s.rps > 0 ? s.rps : null),
    text: (x) => String(Math.round(x)),
  },
  p50: {
    label: 'p50 ms',
    kind: 'speed',
    better: 'lower',
    unit: 'ms',
    threshold: 0.15,
    value: (s) => s.latencyMs?.p50 || null,
    text: msText,
  },
  p99: {
    label: 'p99 ms',
    kind: 'speed',
    better: 'lower',
    unit: 'ms',
    threshold: 0.25,
    value: (s) => s.latencyMs?.p99 || null,
    text: msText,
  },
  primaryCpu: {
    label: 'primary µs/conn',
    kind: 'cost',
    better: 'lower',
    unit: 'µs',
    threshold: 0.1,
    value: (s) => perUnit(s.cpuMs.primary, connections(s)) || null,
    text: us,
  },
  workerCpu: {
    label: 'worker µs/req',
    kind: 'cost',
    better: 'lower',
    unit: 'µs',
    threshold: 0.1,
    value: (s) => perUnit(s.cpuMs.workers, s.totals.ok) || null,
    text: us,
  },
  loadGenCpu: {
    label: 'loadgen µs/req',
    kind: 'cost',
    better: 'lower',
    unit: 'µs',
    threshold: 0.1,
    value: (s) => perUnit(s.cpuMs.loadGen, s.totals.sent) || null,
    text: us,
  },
} satisfies Record<string, MetricDef>;
export type MetricId = keyof typeof METRICS;
export const METRIC_IDS = Object.keys(METRICS) as MetricId[];

/**
 * Per-worker shares, by rank (busiest first; rank 1 is top share): each repetition is a fresh
 * cluster, so worker ids mean nothing across them. Compared with 3+ workers (with 2 the second is
 * 1 - top share). Ranks above the middle are better lower, ranks below it better higher.
 */
export const SHARE: MetricDef = {
  label: 'share',
  kind: 'fairness',
  better: 'lower',
  unit: 'share',
  threshold: 0.05,
  value: () => null,
  text: share,
};
export const rankShare = (s: MeasuredStrategy, rank: number): number | null =>
  [...s.perWorker].sort((a, b) => b.share - a.share)[rank - 1]?.share ?? null;

/** Gates: counted, never averaged. Any new one is a regression regardless of noise. */
export const GATES = {
  failures: { label: 'failures', value: (s: MeasuredStrategy) => s.totals.errors },
  timeouts: { label: 'timeouts', value: (s: MeasuredStrategy) => s.timedOut ?? 0 },
  unaccounted: { label: 'unaccounted', value: (s: MeasuredStrategy) => (s.totals.accounted ? 0 : 1) },
  incomplete: { label: 'incomplete', value: (s: MeasuredStrategy) => (s.incomplete === undefined ? 0 : 1) },
} as const;
export type GateId = keyof typeof GATES;

/** How much each metric may move before it counts (see MetricDef.threshold); `share` for the ranked shares. */
export type Thresholds = Record<MetricId | 'share', number>;
export const DEFAULT_THRESHOLDS: Thresholds = {
  ...(Object.fromEntries(METRIC_IDS.map((m) => [m, METRICS[m].threshold])) as Record<MetricId, number>),
  share: SHARE.threshold,
};
export const THRESHOLD_IDS = Object.keys(DEFAULT_THRESHOLDS) as Array<keyof Thresholds>;
export const DEFAULT_ALPHA = 0.05;

export const defOf = (r: { metric: string }): MetricDef =>
  r.metric === 'share' ? SHARE : r.metric in METRICS ? METRICS[r.metric as MetricId] : SHARE;
export const isRatio = (m: MetricDef): boolean => m.kind !== 'fairness';
export const rowLabel = (r: { metric: string; rank?: number }): string =>
  r.metric === 'share' ? `share #${r.rank}` : r.metric in GATES ? GATES[r.metric as GateId].label : defOf(r).label;
