// Chart builders for the metrics: fairness per strategy, client latency per strategy and per
// worker. The distribution charts (seed, heatmap, shares) are in specs.ts.
import { FAIRNESS_METRICS, fairnessRows, type LabeledRun, latencyRows, percentileOrder, WORKER_STATS, workerLatencyRows } from './data.js';
import {
  type Axes,
  axesOf,
  type Chart,
  CONFIG,
  cells,
  FIRST_REP_NOTE,
  IDEAL_RULE,
  PANEL,
  panels,
  panelsPerRow,
  RANGE_NOTE,
  RANGE_RULE,
  workerColor,
} from './spec-kit.js';

const fairnessWidth = (a: Axes): number => Math.min(Math.max(a.strategies.length * 46, 100), 400);

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
      ...panels(a, fairnessWidth(a), { field: 'metric', sort: [...FAIRNESS_METRICS] }),
      spec: {
        width: fairnessWidth(a),
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
          facet: { field: 'run', type: 'nominal', sort: a.runs, title: null },
          columns: Math.min(panelsPerRow(360), a.runs.length),
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
      ...panels(a, PANEL.width),
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
