import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compile } from 'vega-lite';
import type { RunResult } from '../../format/schema.js';
import { fairnessRows, labelRuns, latencyRows, seedRows, shareRows, workerLatencyRows } from '../../reports/data.js';
import { reportMarkdown } from '../../reports/markdown.js';
import { MAX_CHART_WIDTH } from '../../reports/spec-kit.js';
import { charts, fairnessChart, heatmapChart, latencyChart, seedChart, shareChart, workerLatencyChart } from '../../reports/specs.js';
import { STRATEGY_NAMES } from '../../strategies/registry.js';
import { run, tiny } from './fixtures.js';

const one = labelRuns([tiny()]);
const RUN = 'linux node 20.20.2 20260101-000000-abcd';
// Loose view of a spec, to read the parts under test.
type Loose = Record<string, any>;

test('run labels: env.label, else platform + Node + run id; repeats get the run id, then a number', () => {
  assert.equal(one[0].label, RUN);
  assert.equal(labelRuns([tiny({ label: 'box A' })])[0].label, 'box A');
  const same = labelRuns([tiny({ label: 'x' }, 'id1'), tiny({ label: 'x' }, 'id2'), tiny({ label: 'x' }, 'id2')]).map((r) => r.label);
  assert.equal(same, ['x (id1)', 'x (id2)', 'x (id2) #2']);
});

test('seed rows: one per round x worker, pids named by worker id, ideal = served / workers', () => {
  assert.equal(seedRows(one), [
    { run: RUN, strategy: 'rr', step: 1, worker: 'worker 1', pid: 1000, requests: 5, ideal: 5 },
    { run: RUN, strategy: 'rr', step: 1, worker: 'worker 2', pid: 1001, requests: 5, ideal: 5 },
    { run: RUN, strategy: 'rr', step: 2, worker: 'worker 1', pid: 1000, requests: 6, ideal: 5 },
    { run: RUN, strategy: 'rr', step: 2, worker: 'worker 2', pid: 1001, requests: 4, ideal: 5 },
    { run: RUN, strategy: 'none', step: 1, worker: 'worker 1', pid: 2000, requests: 9, ideal: 5 },
    { run: RUN, strategy: 'none', step: 1, worker: 'worker 2', pid: 2001, requests: 1, ideal: 5 },
    { run: RUN, strategy: 'none', step: 2, worker: 'worker 1', pid: 2000, requests: 10, ideal: 5 },
    { run: RUN, strategy: 'none', step: 2, worker: 'worker 2', pid: 2001, requests: 0, ideal: 5 },
  ]);
});

test('seed chart: x = round, y = requests, colour = worker, one panel per strategy in run order', () => {
  const spec = seedChart(one).spec as Loose;
  assert.equal(spec.facet, {
    field: 'strategy',
    type: 'nominal',
    sort: ['rr', 'none'],
    title: null,
    header: { labelFontSize: 12, labelFontWeight: 'bold' },
  });
  assert.is(spec.columns, 2, 'two panels side by side: both fit');
  const [rule, line] = spec.spec.layer;
  assert.equal(rule.encoding.y, { field: 'ideal', aggregate: 'mean', type: 'quantitative' });
  assert.equal(line.mark, { type: 'line', point: true });
  assert.equal([line.encoding.x.field, line.encoding.x.title], ['step', 'round']);
  assert.equal(line.encoding.y.field, 'requests');
  assert.equal(line.encoding.color.field, 'worker');
  assert.equal(line.encoding.color.scale, { domain: ['worker 1', 'worker 2'] });
});

test('heatmap: the seed rows as cells, x = round, y = worker, colour = requests / even share on one diverging scale', () => {
  const c = heatmapChart(one);
  const spec = c.spec as Loose;
  assert.equal(spec.data.values, seedRows(one));
  assert.equal(spec.facet.sort, ['rr', 'none']);
  assert.is(spec.spec.mark, 'rect');
  assert.equal([spec.spec.encoding.x.field, spec.spec.encoding.x.type, spec.spec.encoding.x.title], ['step', 'ordinal', 'round']);
  assert.equal([spec.spec.encoding.y.field, spec.spec.encoding.y.sort], ['worker', ['worker 1', 'worker 2']]);
  assert.equal(spec.transform, [{ calculate: 'datum.ideal > 0 ? min(2, datum.requests / datum.ideal) : 1', as: 'vsEven' }]);
  assert.equal(spec.spec.encoding.color.field, 'vsEven');
  assert.equal(spec.spec.encoding.color.scale, { type: 'quantize', domain: [0, 2], scheme: { name: 'redblue', count: 7 }, reverse: true });
  assert.is(spec.resolve, undefined, 'one colour scale for every panel, so panels compare');
  assert.is(c.title, 'Requests per worker and round, relative to an even share');
});

test('report.md carries the fairness table and the cost table (CPU, listen overflows)', () => {
  const md = reportMarkdown('t', one, charts(one), (id) => `${id}.svg`, 'report.html');
  assert.match(md, /\| strategy \| shares % \| Jain \|/);
  assert.match(md, /\| strategy \| req\/s \| p90 ms \| p99\.9 ms \| max ms \| p99 all ms \| primary CPU ms \|/);
  assert.is(md.split('\n').filter((l) => l.startsWith('| rr ')).length, 2, 'rr in both tables');
});

test('runs with different strategy sets: every run x strategy panel has a row, so no panel shifts columns', () => {
  const onlyRr = tiny({ label: 'A' });
  onlyRr.strategies = onlyRr.strategies.filter((st) => st.name === 'rr');
  const runs = labelRuns([onlyRr, tiny({ label: 'B' })]);
  for (const build of [seedChart, heatmapChart, shareChart, workerLatencyChart]) {
    const values = (build(runs).spec as Loose).data.values as Array<{ run: string; strategy: string }>;
    const pairs = new Set(values.map((v) => `${v.run}/${v.strategy}`));
    assert.equal([...pairs].sort(), ['A/none', 'A/rr', 'B/none', 'B/rr'], build.name);
    // the placeholder carries no values, so nothing is drawn for it
    assert.equal(
      values.filter((v) => v.run === 'A' && v.strategy === 'none'),
      [{ run: 'A', strategy: 'none' }],
      build.name,
    );
  }
});

test('time-based loads: the seed chart steps by second, from the per-second series', () => {
  const r = tiny();
  r.options = { ...r.options, load: 'sustained', rounds: 1, duration: 2 };
  r.strategies = [
    {
      ...r.strategies[0],
      series: [
        { second: 0, pid: 1000, count: 30 },
        { second: 0, pid: 1001, count: 10 },
        { second: 1, pid: 1001, count: 20 },
      ],
    },
  ];
  const runs = labelRuns([r]);
  assert.equal(
    seedRows(runs).map((x) => [x.step, x.worker, x.requests, x.ideal]),
    [
      [0, 'worker 1', 30, 20],
      [0, 'worker 2', 10, 20],
      [1, 'worker 2', 20, 10],
    ],
  );
  const c = seedChart(runs);
  assert.is(c.title, 'Requests served per second, per worker');
  assert.is((c.spec as Loose).spec.layer[1].encoding.x.title, 'second');
  assert.is(seedChart(labelRuns([r, tiny()])).title, 'Requests served per round / second, per worker');
});

test('share rows and chart: bars per worker, ideal 1/N', () => {
  assert.equal(shareRows(one), [
    { run: RUN, strategy: 'rr', worker: 'worker 1', pid: 1000, requests: 11, share: 0.55, lo: 0.55, hi: 0.55, ideal: 0.5 },
    { run: RUN, strategy: 'rr', worker: 'worker 2', pid: 1001, requests: 9, share: 0.45, lo: 0.45, hi: 0.45, ideal: 0.5 },
    { run: RUN, strategy: 'none', worker: 'worker 1', pid: 2000, requests: 19, share: 0.95, lo: 0.95, hi: 0.95, ideal: 0.5 },
    { run: RUN, strategy: 'none', worker: 'worker 2', pid: 2001, requests: 1, share: 0.05, lo: 0.05, hi: 0.05, ideal: 0.5 },
  ]);
  const [bar, rule] = (shareChart(one).spec as Loose).spec.layer;
  assert.equal(bar.mark, 'bar');
  assert.equal([bar.encoding.x.field, bar.encoding.y.field, bar.encoding.y.axis.format], ['worker', 'share', '.0%']);
  assert.equal(rule.encoding.y.field, 'ideal');
});

test('fairness rows: Jain, CV, max/min, round skew; an infinite max/min is null, labelled ∞ and drawn above the rest', () => {
  const none = fairnessRows(labelRuns([tiny()])).filter((r) => r.strategy === 'none');
  assert.equal(
    none.map((r) => r.metric),
    ['Jain', 'CV', 'max/min', 'round skew'],
  );
  // none served {19, 1}: not infinite over the run
  assert.equal(none[2], {
    run: RUN,
    strategy: 'none',
    metric: 'max/min',
    value: 19,
    plotted: 19,
    label: '19.00',
    infinite: false,
    lo: 19,
    hi: 19,
    ideal: 1,
  });
  const starved = labelRuns([
    {
      ...tiny(),
      strategies: [{ ...tiny().strategies[1], metrics: { ...tiny().strategies[1].metrics, maxMin: null } }, tiny().strategies[0]],
    },
  ]);
  const rows = fairnessRows(starved).filter((r) => r.metric === 'max/min');
  assert.equal(
    rows.map((r) => [r.strategy, r.value, r.plotted, r.label, r.infinite]),
    [
      ['none', null, 1.2222222222222223 * 1.5, '∞', true],
      ['rr', 1.2222222222222223, 1.2222222222222223, '1.22', false],
    ],
  );
  const rr = fairnessRows(one).filter((r) => r.strategy === 'rr');
  assert.equal(
    rr.map((r) => [r.metric, r.label, r.ideal]),
    [
      ['Jain', '0.9901', 1],
      ['CV', '0.100', 0],
      ['max/min', '1.22', 1],
      ['round skew', '0.600', 0.5],
    ],
  );
});

test('fairness chart: one panel per metric, independent y, red bars for infinity, value labels', () => {
  const spec = fairnessChart(one).spec as Loose;
  assert.equal(spec.facet.field, 'metric');
  assert.equal(spec.facet.sort, ['Jain', 'CV', 'max/min', 'round skew']);
  assert.equal(spec.resolve, { scale: { y: 'independent' } });
  const [bar, text] = spec.spec.layer;
  assert.equal(bar.encoding.color.condition, { test: 'datum.infinite', value: '#d62728' });
  assert.equal(text.encoding.text.field, 'label');
});

test('latency: percentile curve per strategy (ordered p50..p99.9), and per-worker stats', () => {
  assert.equal(
    latencyRows(one).filter((r) => r.strategy === 'rr'),
    [
      { run: RUN, strategy: 'rr', percentile: 'p50', p: 50, ms: 10, lo: 10, hi: 10 },
      { run: RUN, strategy: 'rr', percentile: 'p90', p: 90, ms: 20, lo: 20, hi: 20 },
      { run: RUN, strategy: 'rr', percentile: 'p99', p: 99, ms: 30, lo: 30, hi: 30 },
      { run: RUN, strategy: 'rr', percentile: 'p99.9', p: 99.9, ms: 40, lo: 40, hi: 40 },
    ],
  );
  const spec = latencyChart(one).spec as Loose;
  assert.equal(spec.encoding.x.sort, ['p50', 'p90', 'p99', 'p99.9']);
  assert.equal(spec.encoding.color.field, 'strategy');
  assert.is(spec.facet, undefined);
  assert.equal(
    workerLatencyRows(one)
      .slice(0, 5)
      .map((r) => [r.worker, r.stat, r.ms]),
    [
      ['worker 1', 'p50', 10],
      ['worker 1', 'p90', 20],
      ['worker 1', 'p99', 30],
      ['worker 1', 'p99.9', 40],
      ['worker 1', 'max', 50],
    ],
  );
  const w = (workerLatencyChart(one).spec as Loose).spec.encoding;
  assert.equal([w.x.field, w.xOffset.field, w.color.field, w.y.field], ['stat', 'worker', 'worker', 'ms']);
});

test('ten strategies: panels wrap into rows that fit the page; with several runs, a row per strategy once they do not fit side by side', () => {
  const names = [...STRATEGY_NAMES];
  const ten = (label: string) =>
    run(
      names.map((name) => ({ name, counts: [[5, 5]] })),
      { label },
    );
  const one10 = labelRuns([ten('a')]);
  for (const c of [seedChart(one10), heatmapChart(one10), shareChart(one10), workerLatencyChart(one10)]) {
    const spec = c.spec as Loose;
    assert.equal(spec.facet.sort, names, c.id);
    assert.ok(spec.columns >= 1 && spec.columns < names.length, `${c.id}: ${spec.columns} per row`);
    assert.ok(spec.columns * (spec.spec.width + 70) <= MAX_CHART_WIDTH, `${c.id}: a row of panels fits ${MAX_CHART_WIDTH} px`);
  }
  const two10 = labelRuns([ten('a'), ten('b')]);
  const grid = (seedChart(two10).spec as Loose).facet;
  assert.equal([grid.row.field, grid.column.field], ['strategy', 'run'], 'transposed: two run columns, ten strategy rows');
  assert.equal(
    (seedChart(labelRuns([tiny({ label: 'a' }), tiny({ label: 'b' })])).spec as Loose).facet.row.field,
    'run',
    'two strategies: rows per run',
  );
});

test('several runs: every chart faceted by run (rows; the latency curve gets a column per run)', () => {
  const two = labelRuns([tiny({ label: 'linux node20' }), tiny({ label: 'win32 node22' })]);
  for (const c of [seedChart(two), shareChart(two), fairnessChart(two), workerLatencyChart(two)]) {
    const facet = (c.spec as Loose).facet;
    assert.equal(facet.row.field, 'run', c.id);
    assert.equal(facet.row.sort, ['linux node20', 'win32 node22'], c.id);
  }
  assert.equal((latencyChart(two).spec as Loose).facet.field, 'run');
  assert.equal(new Set(seedRows(two).map((r) => r.run)), new Set(['linux node20', 'win32 node22']));
  assert.is(seedRows(two).length, 16);
});

test('skipped strategies carry no data; a run with nothing measured gets no charts', () => {
  const r: RunResult = tiny();
  r.strategies[1] = { name: 'none', kind: 'native', skipped: 'needs Node >= 22.12' };
  assert.equal([...new Set(seedRows(labelRuns([r])).map((x) => x.strategy))], ['rr']);
  r.strategies[0] = { name: 'rr', kind: 'native', skipped: 'no' };
  assert.equal(charts(labelRuns([r])), []);
});

test('every spec compiles with vega-lite without warnings', () => {
  const warnings: string[] = [];
  const logger = {
    level: () => logger,
    warn: (...a: unknown[]) => {
      warnings.push(a.join(' '));
      return logger;
    },
    info: () => logger,
    debug: () => logger,
    error: (...a: unknown[]) => {
      warnings.push(a.join(' '));
      return logger;
    },
  };
  for (const runs of [one, labelRuns([tiny(), tiny({ label: 'b' })])])
    for (const c of charts(runs)) compile(c.spec, { logger: logger as never });
  assert.equal(warnings, []);
});

test.run();
