// A noise profile: how much each metric moves between repetitions and between runs of the same
// code on one machine and settings, measured by `compare --aa` on A/A runs. `compare --noise FILE`
// reads it: two-run comparisons add its between-run variance to their test, and thresholds rise
// to its noise band. Without --noise, two-run comparisons use the profile measured on a shared
// 2-core machine (docs/noise/shared-2core.json, bundled as reports/noise-default.ts).
import { readFileSync } from 'node:fs';

/** One metric's noise, on its tested scale (log for speed and cost, plain for fairness). */
export interface NoiseStat {
  /** Variance of one pair's difference (neighbouring repetitions, or an A/B run's pairs). */
  pairVar: number;
  /** Variance of one repetition within a run. */
  repVar: number;
  /** Variance of a run's mean around the truth beyond its repetitions' (a VM, a boot, a neighbour); 0 from one run. */
  betweenVar: number;
}

export interface NoiseProfile {
  kind: 'cluster-sched-bench noise profile';
  version: 1;
  /** In words: where and how it was measured. */
  description: string;
  created: string;
  /** Repetitions per run (or pairs per A/B run) of the A/A runs. */
  k: number;
  /** The runs it was measured on. */
  runs: string[];
  /** Runs that were separate (between-run variance needs 2 or more). */
  separateRuns: number;
  /** Per metric (`share`: the ranked shares), pooled over strategies (the median): for strategies not below. */
  metrics: Record<string, NoiseStat>;
  /**
   * Per metric (pooled), what a comparison at the profile's K would detect 4 times in 5, in the
   * metric's change units (a fraction for speed and cost, absolute for fairness); absent in
   * profiles written before it.
   */
  detectable?: Record<string, { k: number; family: number; paired: number; twoRuns: number }>;
  strategies: Record<string, Record<string, NoiseStat>>;
}

/** Two-sided 99% of the normal: an A/A change outside this band happens 1 time in 100. */
const Z99 = 2.5758;

export interface NoiseLookup {
  betweenVar: number;
  /** Its degrees of freedom: the separate runs it was measured on, less one. */
  betweenDf: number;
  /** The A/A band of a comparison of K (pairs, or repetitions a side), on the tested scale; null: not in the profile. */
  band(paired: boolean, k: number): number | null;
}

export function noiseOf(p: NoiseProfile, strategy: string, metric: string): NoiseLookup {
  const s = p.strategies[strategy]?.[metric] ?? p.metrics[metric];
  if (s === undefined) return { betweenVar: 0, betweenDf: Infinity, band: () => null };
  return {
    betweenVar: s.betweenVar,
    betweenDf: Math.max(1, p.separateRuns - 1),
    band: (paired, k) => Z99 * Math.sqrt(paired ? s.pairVar / k : (2 * s.repVar) / k + 2 * s.betweenVar),
  };
}

const isStat = (v: unknown): v is NoiseStat =>
  typeof v === 'object' &&
  v !== null &&
  ['pairVar', 'repVar', 'betweenVar'].every(
    (k) => typeof (v as Record<string, unknown>)[k] === 'number' && (v as Record<string, number>)[k] >= 0,
  );

/** A profile file, checked: why not, as one sentence. */
export function readProfile(file: string): NoiseProfile {
  let doc: Partial<NoiseProfile>;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read it: ${(err as Error).message.split('\n')[0]}`);
  }
  if (doc?.kind !== 'cluster-sched-bench noise profile' || doc.version !== 1)
    throw new Error('not a noise profile (write one with: npm run compare -- --aa RUNS...)');
  const stats = [...Object.values(doc.metrics ?? {}), ...Object.values(doc.strategies ?? {}).flatMap((m) => Object.values(m))];
  if (stats.length === 0 || !stats.every(isStat)) throw new Error('its metrics are not { pairVar, repVar, betweenVar } numbers >= 0');
  return doc as NoiseProfile;
}
