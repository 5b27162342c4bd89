// Number formatting shared by the terminal table and the Markdown report.
import { median } from '../format/stats.js';

export const pct = (x: number): string => (x * 100).toFixed(1);
export const fixed = (x: number, d: number): string => x.toFixed(d);
/** Workers above which a share per worker no longer reads on one line: min / median / max instead. */
export const MANY_WORKERS = 8;

/** `50.1/49.9`, or beyond MANY_WORKERS `min 0.6 med 2.2 max 15.8`. */
export const sharesText = (shares: readonly number[]): string =>
  shares.length > MANY_WORKERS
    ? `min ${pct(Math.min(...shares))} med ${pct(median(shares))} max ${pct(Math.max(...shares))}`
    : shares.map(pct).join('/');
export const msText = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

/** `Node v20.20.2`, or `Node v22.23.3 (runner v20.20.2)` when the clusters ran on another binary (--node). */
export const nodeText = (env: { node: string; clusterNode?: string }): string =>
  env.clusterNode === undefined || env.clusterNode === env.node ? `Node ${env.node}` : `Node ${env.clusterNode} (runner ${env.node})`;

/** A plain aligned table: first column left-aligned, the others right-aligned. */
export function alignedTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [head, ...rows];
  const w = head.map((_, c) => Math.max(...all.map((r) => (r[c] ?? '').length)));
  return all.map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(w[c]) : cell.padStart(w[c]))).join('  ')).join('\n');
}
