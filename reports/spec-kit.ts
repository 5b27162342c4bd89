// The parts every chart builder shares: the Chart type, panel layout by run x strategy, the
// ideal-value rule, range whiskers for repeated runs, colours. Pure; no chart of its own.
import type { TopLevelSpec } from 'vega-lite';
import { type LabeledRun, repeated, runOrder, strategyOrder, workerOrder } from './data.js';

export type ChartId = 'seed' | 'heatmap' | 'fairness-time' | 'tradeoff' | 'shares' | 'fairness' | 'latency' | 'worker-latency';

export interface Chart {
  /** File name stem (`seed.svg`) and element id. */
  id: ChartId;
  title: string;
  /** One or two sentences under the chart: how to read it. */
  caption: string;
  spec: TopLevelSpec;
}

export const PANEL = { width: 180, height: 140 };
/** A dashed line at the ideal value, e.g. 1/N. */
export const IDEAL_RULE = { type: 'rule' as const, strokeDash: [4, 3], color: '#555' };
/** The same look in the browser and in headless SVG; a white background for dark READMEs. */
export const CONFIG = { background: 'white', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 11 } } as const;

export interface Axes {
  strategies: string[];
  workers: string[];
  runs: string[];
  multi: boolean;
  /** Some strategy was repeated (--runs): draw min..max. */
  spread: boolean;
}

export const axesOf = (runs: readonly LabeledRun[]): Axes => ({
  spread: repeated(runs),
  strategies: strategyOrder(runs),
  workers: workerOrder(runs),
  runs: runOrder(runs),
  multi: runs.length > 1,
});

/**
 * The widest a chart may be: the report's page at 1280 px, less its margins, must not scroll
 * sideways however many strategies ran.
 */
export const MAX_CHART_WIDTH = 1100;
/** A panel's share of the width beyond its plot: axis labels, title, padding (measured in the browser test). */
const PANEL_EXTRA = 70;

/** How many panels of `width` fit side by side (at least 1). */
export const panelsPerRow = (width: number): number => Math.max(1, Math.floor(MAX_CHART_WIDTH / (width + PANEL_EXTRA)));

/**
 * One panel per strategy (or per `column.field`), wrapped into rows that fit MAX_CHART_WIDTH. With
 * several runs, a grid: one row per run and a column per strategy while that fits; past it, one
 * row per strategy and a column per run. Spread into the spec: `{ facet, columns? }`.
 */
export function panels(a: Axes, width: number, column: { field: string; sort: string[] } = { field: 'strategy', sort: a.strategies }) {
  const bold = { labelFontSize: 12, labelFontWeight: 'bold' } as const;
  const left = { labelFontSize: 12, labelAngle: 0, labelAlign: 'left' } as const;
  const by = (field: string, sort: string[], header: typeof bold | typeof left) =>
    ({ field, type: 'nominal', sort, title: null, header }) as const;
  const perRow = panelsPerRow(width);
  if (!a.multi) return { facet: by(column.field, column.sort, bold), columns: Math.min(perRow, column.sort.length) };
  if (column.sort.length <= perRow) return { facet: { row: by('run', a.runs, left), column: by(column.field, column.sort, bold) } };
  return { facet: { row: by(column.field, column.sort, left), column: by('run', a.runs, bold) } };
}

/**
 * Rows for a chart paneled by run x strategy, with a placeholder `{run, strategy}` row for every
 * pair that has no data (a run that did not include a strategy). vega-lite cross-joins the panel
 * grid but orders it by each panel's data, so an empty panel would shift the others into the
 * wrong columns. The placeholder has no values, so no mark draws it.
 */
export function cells<R extends { run: string; strategy: string }>(rows: R[], a: Axes): Array<R | { run: string; strategy: string }> {
  if (!a.multi) return rows;
  const have = new Set(rows.map((r) => `${r.run}\u0000${r.strategy}`));
  const missing = a.runs.flatMap((run) =>
    a.strategies.filter((st) => !have.has(`${run}\u0000${st}`)).map((strategy) => ({ run, strategy })),
  );
  return [...rows, ...missing];
}

/** With repetitions: whiskers from the min to the max over them (the mark shows the median). */
export const RANGE_RULE = { type: 'rule' as const, color: '#222', strokeWidth: 1.5 };
export const RANGE_NOTE = ' With repeated runs: the median over the repetitions, whiskers from min to max.';
export const FIRST_REP_NOTE = ' With repeated runs: the first repetition.';

// Every worker in the legend (vega's default stops at 30 with a console warning); past 24, two columns.
export const workerColor = (a: Axes, legend: boolean) =>
  ({
    field: 'worker',
    type: 'nominal',
    scale: { domain: a.workers },
    title: 'worker',
    legend: legend ? { symbolLimit: a.workers.length, ...(a.workers.length > 24 && { columns: 2 }) } : null,
  }) as const;
