// Aggregation for repeated, interleaved runs on a noisy box: medians with [min–max], and ratios
// to a baseline strategy computed within the same repetition (never across reps). Pure.

export interface Spread { median: number; min: number; max: number }

export function median(xs: readonly number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function spread(xs: readonly number[]): Spread {
  return { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) };
}

/** One measurement: `strategy` in repetition `rep`. */
export interface Sample { strategy: string; rep: number; value: number }

/**
 * value / baseline's value of the same rep, for every rep where both exist and the baseline is
 * not 0. A ratio across reps would mix two different states of a shared, noisy machine.
 */
export function sameRepRatios(samples: readonly Sample[], strategy: string, baseline: string): number[] {
  const base = new Map<number, number>();
  for (const s of samples) if (s.strategy === baseline) base.set(s.rep, s.value);
  const out: number[] = [];
  for (const s of samples) {
    const b = base.get(s.rep);
    if (s.strategy === strategy && b !== undefined && b !== 0 && Number.isFinite(s.value)) out.push(s.value / b);
  }
  return out;
}

/** `12.3 [10.1–14.0]` with `d` decimals; `–` when there is nothing. */
export function spreadText(s: Spread, d: number): string {
  if (!Number.isFinite(s.median)) return '–';
  return `${s.median.toFixed(d)} [${s.min.toFixed(d)}–${s.max.toFixed(d)}]`;
}
