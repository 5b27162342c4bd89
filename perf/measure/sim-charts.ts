// The grid's charts (docs/simulate.md): one per measure, a panel per worker count, a bar per
// strategy, coloured by load. Typed vega-lite, data inlined.
import type { TopLevelSpec } from 'vega-lite';
import type { GridCell } from './sim.js';

const MEASURES = [
  { id: 'jain', field: 'jain', title: "Jain's index (1 = even)" },
  { id: 'top-share', field: 'topShare', title: 'top share (1 / workers = even)' },
  { id: 'p99', field: 'p99x', title: 'p99 / queueing floor (M/M/N)' },
  { id: 'p999', field: 'p999x', title: 'p99.9 / queueing floor (M/M/N)' },
] as const;

export function gridSpecs(cells: readonly GridCell[]): Array<{ id: string; spec: TopLevelSpec }> {
  const values = cells.map((c) => ({ ...c, loadLabel: `${c.load * 100}% load` }));
  return MEASURES.map((m) => ({
    id: m.id,
    spec: {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      title: `simulated: ${m.title}, by strategy and worker count`,
      data: { values },
      facet: { column: { field: 'workers', type: 'ordinal', title: 'workers' } },
      spec: {
        width: 220,
        height: 200,
        mark: { type: 'bar', tooltip: true },
        encoding: {
          x: { field: 'strategy', type: 'nominal', title: null, sort: null },
          xOffset: { field: 'loadLabel' },
          y: {
            field: m.field,
            type: 'quantitative',
            title: m.title,
            ...(m.id === 'jain' && { scale: { domain: [0.5, 1], clamp: true } }),
          },
          color: { field: 'loadLabel', type: 'nominal', title: null },
        },
      },
      resolve: { scale: { y: m.id === 'top-share' ? 'independent' : 'shared' } },
    } as TopLevelSpec,
  }));
}
