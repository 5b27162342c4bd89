// Typed vega-lite spec builders: runs -> one TopLevelSpec per chart, data inlined and aggregated.
// With one run, panels are per strategy; with several, the same charts get one row per run
// (the latency curve, one panel per run), so platforms / Node versions sit side by side.
// This file: the distribution charts (seed, heatmap, shares) and the list of every chart;
// shared layout in spec-kit.ts, the metric charts in specs-metrics.ts.
import { fairnessTimeRows, type LabeledRun, seedRows, shareRows, stepUnit } from './data.js';
import { strategyPoints } from './findings.js';
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
  RANGE_NOTE,
  RANGE_RULE,
  workerColor,
} from './spec-kit.js';
import { fairnessChart, latencyChart, workerLatencyChart } from './specs-metrics.js';
import { MANY_WORKERS } from './text.js';

export type { Chart, ChartId } from './spec-kit.js';
export { fairnessChart, latencyChart, workerLatencyChart };

/** x by round or second: whole steps, from the first to the last. */
const stepAxis = (unit: string) => ({
  field: 'step',
  type: 'quantitative' as const,
  title: unit,
  scale: { zero: false, nice: false },
  axis: { tickMinStep: 1, format: 'd' },
});

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
      ...panels(a, PANEL.width),
      spec: {
        ...PANEL,
        layer: [
          { mark: IDEAL_RULE, encoding: { y: { field: 'ideal', aggregate: 'mean', type: 'quantitative' } } },
          {
            mark: { type: 'line', point: true },
            encoding: {
              x: stepAxis(unit),
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
      ...panels(a, PANEL.width),
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

/**
 * Fairness over time: Jain's index and the top share (times N) per round or second, one line per
 * strategy; a skew that comes and goes shows here where the whole run's numbers average it away.
 */
export function fairnessTimeChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  const unit = stepUnit(runs);
  return {
    id: 'fairness-time',
    title: `Fairness per ${unit}`,
    caption:
      `x = ${unit}; top: Jain's index of that ${unit}'s requests per worker (1 = even), bottom: the busiest worker's share times the workers ` +
      `(1 = even, N = one worker took all; above 2 for 3 or more ${unit}s in a row is flagged as one hot worker). One line per strategy` +
      `${a.multi ? ', one column per run' : ''}.` +
      (a.spread ? FIRST_REP_NOTE : ''),
    spec: {
      data: { values: fairnessTimeRows(runs) },
      facet: {
        row: {
          field: 'measure',
          type: 'nominal',
          title: null,
          sort: ["Jain's index", 'top share x N'],
          header: { labelFontWeight: 'bold' },
        },
        ...(a.multi && { column: { field: 'run', type: 'nominal', title: null, sort: a.runs } }),
      },
      spec: {
        width: a.multi ? Math.max(200, Math.floor(900 / a.runs.length)) : 640,
        height: 130,
        mark: { type: 'line', point: true },
        encoding: {
          x: stepAxis(unit),
          y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
          color: { field: 'strategy', type: 'nominal', sort: a.strategies, title: 'strategy' },
          tooltip: [
            { field: 'strategy', type: 'nominal' },
            { field: 'step', type: 'quantitative', title: unit },
            { field: 'measure', type: 'nominal' },
            { field: 'value', type: 'quantitative', format: '.3f' },
          ],
        },
      },
      resolve: { scale: { y: 'independent' } },
      config: CONFIG,
    },
  };
}

/**
 * The trade-off: p99 against req/s, and against the primary's CPU per connection, one point per
 * strategy (the median over repetitions, whiskers min..max); the Pareto front (no other strategy
 * has both more req/s and a lower p99) drawn filled.
 */
export function tradeoffChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  const values = runs.flatMap(({ label, result }) =>
    strategyPoints(result)
      .filter((p) => p.p99 !== null)
      .map((p) => ({ ...p, run: label, front: p.pareto ? 'best trade-off' : 'beaten on both by another' })),
  );
  const x = { field: 'p99', type: 'quantitative', title: 'p99 ms (median)', scale: { zero: false, nice: true } } as const;
  const color = { field: 'strategy', type: 'nominal', sort: a.strategies, title: 'strategy' } as const;
  const shape = a.multi ? ({ shape: { field: 'run', type: 'nominal', sort: a.runs, title: 'run' } } as const) : {};
  const tooltip = [
    { field: 'strategy', type: 'nominal' },
    ...(a.multi ? [{ field: 'run', type: 'nominal' }] : []),
    { field: 'rps', type: 'quantitative', title: 'req/s', format: '.0f' },
    { field: 'p99', type: 'quantitative', title: 'p99 ms', format: '.1f' },
    { field: 'primaryUs', type: 'quantitative', title: 'primary µs/conn', format: '.0f' },
    { field: 'front', type: 'nominal', title: 'Pareto' },
  ];
  const panel = (y: { field: string; title: string }, whisker: boolean) => ({
    width: 380,
    height: 240,
    layer: [
      ...(whisker
        ? [
            { mark: RANGE_RULE, encoding: { x, y: { field: 'rpsMin', type: 'quantitative' }, y2: { field: 'rpsMax' }, color } },
            {
              mark: RANGE_RULE,
              encoding: {
                x: { field: 'p99Min', type: 'quantitative' },
                x2: { field: 'p99Max' },
                y: { field: 'rps', type: 'quantitative' },
                color,
              },
            },
          ]
        : []),
      {
        mark: { type: 'point', size: 90, strokeWidth: 2 },
        encoding: {
          x,
          y: { field: y.field, type: 'quantitative', title: y.title, scale: { zero: false, nice: true } },
          color,
          ...shape,
          fill: {
            condition: { test: "datum.front === 'best trade-off'", field: 'strategy', type: 'nominal', sort: a.strategies },
            value: 'white',
          },
          tooltip,
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 7, dy: -6, fontSize: 10 },
        encoding: { x, y: { field: y.field, type: 'quantitative' }, text: { field: 'strategy' }, color },
      },
    ],
  });
  return {
    id: 'tradeoff',
    title: 'Trade-offs: p99 against req/s and against primary CPU',
    caption:
      'One point per strategy (median over repetitions; with repetitions, lines from min to max). Filled: the Pareto front, no other strategy has both more req/s and a lower p99; ' +
      'hollow: another beats it on both. Right: what each costs the primary per connection (about 0 where the kernel places connections).' +
      (a.multi ? ' One shape per run.' : ''),
    spec: {
      data: { values },
      hconcat: [
        panel({ field: 'rps', title: 'req/s (median)' }, a.spread),
        panel({ field: 'primaryUs', title: 'primary CPU µs per connection' }, false),
      ],
      config: CONFIG,
    } as Chart['spec'],
  };
}

const sharesWidth = (a: Axes): number => Math.min(Math.max(a.workers.length * 40, 100), 480);

export function shareChart(runs: readonly LabeledRun[]): Chart {
  const a = axesOf(runs);
  return {
    id: 'shares',
    title: 'Share of requests per worker',
    caption: `One bar per worker, one panel per strategy; the dashed line marks the ideal share 1/N.${a.spread ? RANGE_NOTE : ''}`,
    spec: {
      data: { values: cells(shareRows(runs), a) },
      ...panels(a, sharesWidth(a)),
      spec: {
        width: sharesWidth(a),
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

const BUILDERS = [
  seedChart,
  heatmapChart,
  fairnessTimeChart,
  tradeoffChart,
  shareChart,
  fairnessChart,
  latencyChart,
  workerLatencyChart,
] as const;

/**
 * U+2028 and U+2029 are allowed in a JSON string (a strategy name or a label in a result file)
 * but end a line in vega's expression parser, and vega-lite writes sort orders into expressions
 * as JSON: the chart would not compile. They become spaces, in the data and the sort orders alike.
 */
function withoutLineSeparators<T>(v: T): T {
  if (typeof v === 'string') return v.replace(/[\u2028\u2029]/g, ' ') as T;
  if (Array.isArray(v)) return v.map(withoutLineSeparators) as T;
  if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, withoutLineSeparators(x)])) as T;
  return v;
}

/** Every chart for these runs, headline first; charts without data (all strategies skipped) are left out. */
export function charts(runs: readonly LabeledRun[]): Chart[] {
  return BUILDERS.map((build) => build(runs))
    .filter((c) => {
      const data = c.spec.data as { values?: unknown[] } | undefined;
      return (data?.values?.length ?? 0) > 0;
    })
    .map((c) => ({ ...c, spec: withoutLineSeparators(c.spec) }));
}
