// Typed vega-lite spec builders: runs -> one TopLevelSpec per chart, data inlined and aggregated.
// With one run, panels are per strategy; with several, the same charts get one row per run
// (the latency curve, one panel per run), so platforms / Node versions sit side by side.
import type { TopLevelSpec } from 'vega-lite';
import {
  FAIRNESS_METRICS,
  fairnessRows,
  type LabeledRun,
  latencyRows,
  percentileOrder,
  repeated,
  runOrder,
  seedRows,
  shareRows,
  stepUnit,
  strategyOrder,
  WORKER_STATS,
  workerLatencyRows,
  workerOrder,
} from './data.js';
import { MANY_WORKERS } from './text.js';

export type ChartId = 'seed' | 'heatmap' | 'shares' | 'fairness' | 'latency' | 'worker-latency';

export interface Chart {
  /** File name stem (`seed.svg`) and element id. */
  id: ChartId;
  title: string;
  /** One or two sentences under the chart: how to read it. */
  caption: string;
  spec: TopLevelSpec;
}

const PANEL = { width: 180, height: 140 };
/** A dashed line at the ideal value, e.g. 1/N. */
const IDEAL_RULE = { type: 'rule' as const, strokeDash: [4, 3], color: '#555' };
/** The same look in the browser and in headless SVG; a white background for dark READMEs. */
const CONFIG = { background: 'white', view: { stroke: '#ddd' }, axis: { labelFontSize: 11, titleFontSize: 11 } } as const;

interface Axes {
  strategies: string[];
  workers: string[];
  runs: string[];
  multi: boolean;
  /** Some strategy was repeated (--runs): draw min..max. */
  spread: boolean;
}

const axesOf = (runs: readonly LabeledRun[]): Axes => ({
  spread: repeated(runs),
  strategies: strategyOrder(runs),
  workers: workerOrder(runs),
  runs: runOrder(runs),
  multi: runs.length > 1,
});

/** One panel per strategy; with several runs, one row of panels per run. */
function panels(a: Axes, column: { field: string; sort: string[] } = { field: 'strategy', sort: a.strategies }) {
  const col = {
    field: column.field,
    type: 'nominal',
    sort: column.sort,
    title: null,
    header: { labelFontSize: 12, labelFontWeight: 'bold' },
  } as const;
  return a.multi
    ? {
        row: {
          field: 'run',
          type: 'nominal',
          sort: a.runs,
          title: null,
          header: { labelFontSize: 12, labelAngle: 0, labelAlign: 'left' },
        } as const,
        column: col,
      }
    : { column: col };
}

/**
 * Rows for a chart paneled by run x strategy, with a placeholder `{run, strategy}` row for every
 * pair that has no data (a run that did not include a strategy). vega-lite cross-joins the panel
 * grid but orders it by each panel's data, so an empty panel would shift the others into the
 * wrong columns. The placeholder has no values, so no mark draws it.
 */
function cells<R extends { run: string; strategy: string }>(rows: R[], a: Axes): Array<R | { run: string; strategy: string }> {
  if (!a.multi) return rows;
  const have = new Set(rows.map((r) => `${r.run}\u0000${r.strategy}`));
  const missing = a.runs.flatMap((run) =>
    a.strategies.filter((st) => !have.has(`${run}\u0000${st}`)).map((strategy) => ({ run, strategy })),
  );
  return [...rows, ...missing];
}

/** With repetitions: whiskers from the min to the max over them (the mark shows the median). */
const RANGE_RULE = { type: 'rule' as const, color: '#222', strokeWidth: 1.5 };
const RANGE_NOTE = ' With repeated runs: the median over the repetitions, whiskers from min to max.';
const FIRST_REP_NOTE = ' With repeated runs: the first repetition.';

const workerColor = (a: Axes, legend: boolean) =>
  ({ field: 'worker', type: 'nominal', scale: { domain: a.workers }, title: 'worker', ...(legend ? {} : { legend: null }) }) as const;

export function seedChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  const unit = stepUnit(runs);
  return {
    id: 'seed',
    title: `Requests served per ${unit}, per worker`,
    caption:
      `x = ${unit}, y = requests served by each worker in that ${unit}; one line per worker, one panel per strategy. ` +
      `The dashed line is the even share (requests served / workers). Lines that lie together mean an even spread; lines that fan out mean skew.` +
      (a.spread ? FIRST_REP_NOTE : ''),
    spec: {
      data: { values: cells(seedRows(runs), a) },
      facet: panels(a),
      spec: {
        ...PANEL,
        layer: [
          { mark: IDEAL_RULE, encoding: { y: { field: 'ideal', aggregate: 'mean', type: 'quantitative' } } },
          {
            mark: { type: 'line', point: true },
            encoding: {
              x: {
                field: 'step',
                type: 'quantitative',
                title: unit,
                scale: { zero: false, nice: false },
                axis: { tickMinStep: 1, format: 'd' },
              },
              y: { field: 'requests', type: 'quantitative', title: 'requests served' },
              color: workerColor(a, true),
              tooltip: [
                { field: 'worker', type: 'nominal' },
                { field: 'pid', type: 'nominal' },
                { field: 'step', type: 'quantitative', title: unit },
                { field: 'requests', type: 'quantitative' },
              ],
            },
          },
        ],
      },
      // Rounds of a burst and seconds of a timed load are different quantities: a scale per row.
      ...(unit === 'round / second' && { resolve: { scale: { x: 'independent', y: 'independent' } } }),
      config: CONFIG,
    },
  };
}

/**
 * The seed chart's data as a heatmap: every worker x round (or second), coloured by requests
 * relative to the even share (requests / ideal) on one diverging scale shared by every panel:
 * white is even, red over-served, blue under-served.
 */
export function heatmapChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  const unit = stepUnit(runs);
  return {
    id: 'heatmap',
    title: `Requests per worker and ${unit}, relative to an even share`,
    caption:
      `One row per worker, one column per ${unit}, one panel per strategy. Colour: requests served / the even share ` +
      `(white = even, red = more than its share, blue = less; clamped at 0 and 2). An even strategy is a pale band.` +
      (a.spread ? FIRST_REP_NOTE : ''),
    spec: {
      data: { values: cells(seedRows(runs), a) },
      transform: [{ calculate: 'datum.ideal > 0 ? min(2, datum.requests / datum.ideal) : 1', as: 'vsEven' }],
      facet: panels(a),
      spec: {
        width: PANEL.width,
        height: Math.min(Math.max(a.workers.length * 18, 40), 320),
        transform: [{ filter: 'isValid(datum.step)' }], // placeholder rows (see cells) carry no cell
        mark: 'rect',
        encoding: {
          x: { field: 'step', type: 'ordinal', title: unit, axis: { labelAngle: 0, labelOverlap: 'greedy' } },
          y: { field: 'worker', type: 'nominal', sort: a.workers, title: null },
          // quantize: a discrete legend; a gradient legend's SVG id comes from a process-wide counter, so
          // two renders would differ (the SVGs must be byte-identical for the same input).
          color: {
            field: 'vsEven',
            type: 'quantitative',
            title: 'x even share',
            scale: { type: 'quantize', domain: [0, 2], scheme: { name: 'redblue', count: 7 }, reverse: true },
            legend: { format: '.2f' },
          },
          tooltip: [
            { field: 'worker', type: 'nominal' },
            { field: 'pid', type: 'nominal' },
            { field: 'step', type: 'quantitative', title: unit },
            { field: 'requests', type: 'quantitative' },
            { field: 'vsEven', type: 'quantitative', title: 'x even share', format: '.2f' },
          ],
        },
      },
      config: CONFIG,
    },
  };
}

export function shareChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  return {
    id: 'shares',
    title: 'Share of requests per worker',
    caption: `One bar per worker, one panel per strategy; the dashed line marks the ideal share 1/N.${a.spread ? RANGE_NOTE : ''}`,
    spec: {
      data: { values: cells(shareRows(runs), a) },
      facet: panels(a),
      spec: {
        width: Math.min(Math.max(a.workers.length * 40, 100), 480),
        height: PANEL.height,
        layer: [
          {
            mark: 'bar',
            encoding: {
              // Many workers: bars sorted by share, so the skew reads as a slope.
              x:
                a.workers.length > MANY_WORKERS
                  ? { field: 'worker', type: 'nominal', sort: '-y', title: 'workers, busiest first', axis: { labels: false, ticks: false } }
                  : { field: 'worker', type: 'nominal', sort: a.workers, title: null, axis: { labelAngle: 0 } },
              y: { field: 'share', type: 'quantitative', title: 'share of requests', axis: { format: '.0%' } },
              color: workerColor(a, false),
              tooltip: [
                { field: 'worker', type: 'nominal' },
                { field: 'pid', type: 'nominal' },
                { field: 'requests', type: 'quantitative' },
                { field: 'share', type: 'quantitative', format: '.2%' },
              ],
            },
          },
          { mark: IDEAL_RULE, encoding: { y: { field: 'ideal', aggregate: 'mean', type: 'quantitative' } } },
          ...(a.spread
            ? [
                {
                  mark: RANGE_RULE,
                  encoding: {
                    x: { field: 'worker', type: 'nominal' as const, sort: a.workers },
                    y: { field: 'lo', type: 'quantitative' as const },
                    y2: { field: 'hi' },
                  },
                },
              ]
            : []),
        ],
      },
      // Sorted per panel: each strategy's own busiest-first order.
      ...(a.workers.length > MANY_WORKERS && { resolve: { scale: { x: 'independent' } } }),
      config: CONFIG,
    },
  };
}

export function fairnessChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  const x = { field: 'strategy', type: 'nominal', sort: a.strategies, title: null, axis: { labelAngle: -30 } } as const;
  const y = { field: 'plotted', type: 'quantitative', title: null } as const;
  return {
    id: 'fairness',
    title: 'Fairness per strategy',
    caption:
      "Jain's index (1 = even, 1/N = one worker took all), CV (0 = even), max/min (1 = even; ∞ when a worker got nothing, drawn red), " +
      `round skew (95th percentile over rounds of the top worker share; ideal 1/N). Dashed: the ideal value.${a.spread ? RANGE_NOTE : ''}`,
    spec: {
      data: { values: fairnessRows(runs) },
      facet: panels(a, { field: 'metric', sort: [...FAIRNESS_METRICS] }),
      spec: {
        width: Math.min(Math.max(a.strategies.length * 46, 100), 400),
        height: PANEL.height,
        layer: [
          {
            mark: 'bar',
            encoding: {
              x,
              y,
              color: { condition: { test: 'datum.infinite', value: '#d62728' }, value: '#4c78a8' },
              tooltip: [
                { field: 'strategy', type: 'nominal' },
                { field: 'metric', type: 'nominal' },
                { field: 'label', type: 'nominal', title: 'value' },
              ],
            },
          },
          { mark: { type: 'text', dy: -6, fontSize: 10 }, encoding: { x, y, text: { field: 'label', type: 'nominal' } } },
          { mark: IDEAL_RULE, encoding: { y: { field: 'ideal', aggregate: 'mean', type: 'quantitative' } } },
          ...(a.spread
            ? [{ mark: RANGE_RULE, encoding: { x, y: { field: 'lo', type: 'quantitative' as const }, y2: { field: 'hi' } } }]
            : []),
        ],
      },
      resolve: { scale: { y: 'independent' } },
      config: CONFIG,
    },
  };
}

export function latencyChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  const rows = latencyRows(runs);
  const x = { field: 'percentile', type: 'ordinal' as const, sort: percentileOrder(rows), title: 'percentile', axis: { labelAngle: 0 } };
  const color = { field: 'strategy', type: 'nominal' as const, scale: { domain: a.strategies }, title: 'strategy' };
  const line = {
    mark: { type: 'line' as const, point: true },
    encoding: {
      x,
      y: { field: 'ms', type: 'quantitative' as const, title: 'latency (ms)' },
      color,
      tooltip: [
        { field: 'strategy', type: 'nominal' as const },
        { field: 'percentile', type: 'nominal' as const },
        { field: 'ms', type: 'quantitative' as const, format: '.1f' },
        ...(a.spread
          ? [
              { field: 'lo', type: 'quantitative' as const, format: '.1f' },
              { field: 'hi', type: 'quantitative' as const, format: '.1f' },
            ]
          : []),
      ],
    },
  };
  // With repetitions, a band from the min to the max under each median line.
  const band = {
    mark: { type: 'area' as const, opacity: 0.18 },
    encoding: { x, y: { field: 'lo', type: 'quantitative' as const }, y2: { field: 'hi' }, color },
  };
  const layer = a.spread ? { width: 360, height: 200, layer: [band, line] } : { width: 360, height: 200, ...line };
  return {
    id: 'latency',
    title: 'Client latency per strategy',
    caption: `Latency percentile curve (p50 to p99.9) of every response, one line per strategy.${a.spread ? ' With repeated runs: the median over the repetitions, the band from min to max.' : ''}`,
    spec: a.multi
      ? {
          data: { values: rows },
          facet: { column: { field: 'run', type: 'nominal', sort: a.runs, title: null } },
          spec: layer,
          config: CONFIG,
        }
      : { data: { values: rows }, ...layer, config: CONFIG },
  };
}

export function workerLatencyChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  return {
    id: 'worker-latency',
    title: 'Client latency per worker',
    caption: `p50, p90, p99, p99.9 and max latency of the responses each worker served, one panel per strategy.${a.spread ? FIRST_REP_NOTE : ''}`,
    spec: {
      data: { values: cells(workerLatencyRows(runs), a) },
      facet: panels(a),
      spec: {
        ...PANEL,
        mark: 'bar',
        encoding: {
          x: { field: 'stat', type: 'nominal', sort: [...WORKER_STATS], title: null, axis: { labelAngle: 0 } },
          xOffset: { field: 'worker', type: 'nominal', sort: a.workers },
          y: { field: 'ms', type: 'quantitative', title: 'latency (ms)' },
          color: workerColor(a, true),
          tooltip: [
            { field: 'worker', type: 'nominal' },
            { field: 'stat', type: 'nominal' },
            { field: 'ms', type: 'quantitative', format: '.1f' },
          ],
        },
      },
      config: CONFIG,
    },
  };
}

const BUILDERS = [seedChart, heatmapChart, shareChart, fairnessChart, latencyChart, workerLatencyChart] as const;

/** Every chart for these runs, headline first; charts without data (all strategies skipped) are left out. */
export function charts(runs: readonly LabeledRun[]): Chart[] {
  return BUILDERS.map((build) => build(runs)).filter((c) => {
    const data = c.spec.data as { values?: unknown[] } | undefined;
    return (data?.values?.length ?? 0) > 0;
  });
}
