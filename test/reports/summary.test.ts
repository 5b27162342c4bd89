// The summary tables are built once (typed rows: cells plus what is wrong) and every renderer
// shows the same cells and marks the same rows.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunResult, StrategyResult } from '../../format/schema.js';
import { labelRuns } from '../../reports/data.js';
import { reportPage } from '../../reports/html.js';
import { reportMarkdown } from '../../reports/markdown.js';
import { shareChart } from '../../reports/specs.js';
import {
  costSummary,
  crowdLines,
  eventLines,
  fairnessSummary,
  isBad,
  placementLines,
  problemLines,
  rowCells,
} from '../../reports/summary.js';
import { colors, comparisonTable, costTable, eventsText, plain, strategyLine } from '../../reports/terminal.js';
import { sharesText } from '../../reports/text.js';
import { run, strategy, tiny } from './fixtures.js';

/** rr fine; none with a lost request (not accounted, 1 error); a third strategy skipped. */
function mixed(): RunResult {
  const r: RunResult = tiny();
  const none = r.strategies[1];
  if (!('totals' in none)) throw new Error('fixture');
  none.totals = { ...none.totals, errors: 1, accounted: false };
  none.errorsByCode = { LOST: 1 };
  none.problems = ['round 2: 20 requests sent but 19 came back (1 lost)'];
  const skipped: StrategyResult = { name: 'reuseport', kind: 'kernel', skipped: 'needs Node >= 22.12' };
  r.strategies.push(skipped);
  return r;
}

test('fairness rows: the cells, and flags instead of cells read back by position', () => {
  const t = fairnessSummary(mixed().strategies);
  assert.equal(t.head, ['strategy', 'shares %', 'Jain', 'CV', 'max/min', 'round skew', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'accounted']);
  assert.equal(
    t.rows.map((r) => [r.strategy, r.skipped, r.notAccounted, r.errors, isBad(r)]),
    [
      ['rr', null, false, 0, false],
      ['none', null, true, 1, true],
      ['reuseport', 'needs Node >= 22.12', false, 0, false],
    ],
  );
  assert.equal(rowCells(t.rows[0]), ['rr', '55.0/45.0', '0.9901', '0.100', '1.22', '60.0%', '1000', '10.0', '30.0', '0', 'yes']);
  assert.equal(rowCells(t.rows[1]).slice(-2), ['1', 'NO']);
  assert.equal(rowCells(t.rows[2]), ['reuseport', 'skipped', '', '', '', '', '', '', '', '', '']);
});

test('requests that ran out of time are said beside p99 (the percentiles count answered requests only)', () => {
  const r = mixed();
  const none = r.strategies[1];
  if (!('totals' in none)) throw new Error('fixture');
  none.timedOut = 12;
  assert.is(rowCells(fairnessSummary(r.strategies).rows[1])[8], '60.0 (+12 timed out)');
  assert.is(rowCells(fairnessSummary(r.strategies).rows[0])[8], '30.0', 'nothing timed out: nothing said');
});

test('cost rows: strategies that ran only', () => {
  const t = costSummary(mixed().strategies);
  assert.equal(t.head[0], 'strategy');
  assert.equal(
    t.rows.map((r) => r.strategy),
    ['rr', 'none'],
  );
  assert.equal(rowCells(t.rows[0]).slice(-2), ['-', 'n/a'], 'no load generator CPU or kernel counters in this fixture');
});

test("the load generator's core %: the share the runner stored (its warning's number), never recomputed from another wall time", () => {
  const r = tiny();
  const [rr, none] = r.strategies;
  if (!('totals' in rr) || !('totals' in none)) throw new Error('fixture');
  // wallMs 200 would make 120 ms of CPU 60%: the table must show the stored 0.923 instead.
  rr.cpuMs = { ...rr.cpuMs, loadGen: 120, loadGenShare: 0.923 };
  none.cpuMs = { ...none.cpuMs, clients: [50, 60], clientShares: [0.463, 0.511] };
  const [a, b] = costSummary(r.strategies).rows.map((row) => rowCells(row).slice(-2)[0]);
  assert.equal([a, b], ['92.3', '46.3/51.1']);
});

test('terminal: the same cells aligned; the bad row red (only with colour)', () => {
  const r = mixed();
  const text = comparisonTable(r.strategies, plain);
  assert.equal(
    text.split('\n').map((l) => l.trim().split(/\s{2,}/)[0]),
    ['strategy', 'rr', 'none', 'reuseport'],
  );
  const red = comparisonTable(r.strategies, colors).split('\n');
  assert.ok(red[2].startsWith('  \x1b[31mnone'), 'none is red');
  assert.ok(!red[1].includes('\x1b[31m') && !red[3].includes('\x1b[31m'), 'rr and the skipped row are not');
  assert.is(costTable(r.strategies, plain).split('\n').length, 3, 'head + 2 strategies');
  assert.ok(!costTable(r.strategies, colors).includes('\x1b[31m'), 'the cost table marks nothing (as before)');
});

test('Markdown and HTML: the same rows; HTML marks the bad one; problems listed once', () => {
  const r = mixed();
  const md = reportMarkdown('t', [{ label: 'x', result: r }], [], () => '', 'report.html');
  assert.ok(md.includes('| none | 95.0/5.0 | 0.5525 |'), md);
  assert.ok(md.includes('| reuseport | skipped |  |'), md);
  assert.ok(md.includes('- reuseport skipped: needs Node &gt;= 22.12'), md);
  const html = reportPage({
    title: 't',
    runs: [{ label: 'x', result: r, links: { result: 'result.json' } }],
    charts: [],
    svgHref: () => '',
  });
  assert.is((html.match(/<tr class="bad">/g) ?? []).length, 1);
  assert.match(html, /<tr class="bad"><td>none<\/td>/);
  assert.equal(problemLines(r.strategies), ['none: 1 client errors: LOST x1', 'none: round 2: 20 requests sent but 19 came back (1 lost)']);
});

test('worker events, explanations and a strategy cut short: one line each, in the terminal, Markdown and HTML', () => {
  const r: RunResult = tiny();
  const rr = r.strategies[0];
  if (!('totals' in rr)) throw new Error('fixture');
  rr.workerEvents = [
    { round: 2, atMs: 310, id: 1, pid: 1000, event: 'killed', expected: true, detail: '--fault kill-worker:2: SIGKILLed (signal SIGKILL)' },
    { round: 2, atMs: 330, id: 3, pid: 1002, event: 'spawned', expected: true, detail: '--respawn: replaces worker 1 (pid 1000)' },
  ];
  rr.explained = ['round 2: 3 of 20 requests failed (worker 1000 killed; worker 1002 spawned): ECONNRESET 3'];
  rr.incomplete = 'interrupted in round 2 of 2: that round is partial';
  const lines = [
    'rr: incomplete: interrupted in round 2 of 2: that round is partial',
    'rr: round 2: worker 1 (pid 1000) killed: --fault kill-worker:2: SIGKILLed (signal SIGKILL)',
    'rr: round 2: worker 3 (pid 1002) spawned: --respawn: replaces worker 1 (pid 1000)',
    'rr: round 2: 3 of 20 requests failed (worker 1000 killed; worker 1002 spawned): ECONNRESET 3',
  ];
  assert.equal(eventLines(r.strategies), lines);
  assert.is(eventsText(r.strategies), lines.map((l) => `  * ${l}`).join('\n'));
  assert.match(strategyLine(rr, plain), 'accounted, INCOMPLETE');
  const md = reportMarkdown('t', [{ label: 'x', result: r }], [], () => '', 'report.html');
  for (const l of lines) assert.ok(md.includes(`- ${l}`), l);
  const html = reportPage({
    title: 't',
    runs: [{ label: 'x', result: r, links: { result: 'result.json' } }],
    charts: [],
    svgHref: () => '',
  });
  assert.match(html, '<p class="caption">Worker events</p>');
  assert.match(html, '<li>rr: round 2: worker 1 (pid 1000) killed: --fault kill-worker:2: SIGKILLed (signal SIGKILL)</li>');
  assert.equal(eventLines(tiny().strategies), [], 'nothing happened: no lines');
});

test('placement by client address: the busiest worker of each address, with its share when split', () => {
  const r: RunResult = tiny();
  const rr = r.strategies[0];
  if (!('totals' in rr)) throw new Error('fixture');
  const [a, b] = rr.workers.map((w) => String(w.pid));
  rr.placement = [
    { address: '127.0.0.1', counts: { [a]: 10 } },
    { address: '127.0.0.2', counts: { [a]: 3, [b]: 7 } },
  ];
  assert.equal(placementLines(r.strategies), ['rr: by client address (worker id, busiest): 127.0.0.1 -> 1, 127.0.0.2 -> 2 (70.0%)']);
  assert.equal(placementLines(tiny().strategies), []);
});

test('many workers (over 8): shares as min / median / max, the busiest and least busy named, share bars sorted per panel', () => {
  // ten workers: 50, 20, 10, 5, 5, 4, 3, 2, 1, 0 requests (of 100)
  const r = run([{ name: 'none', counts: [[50, 20, 10, 5, 5, 4, 3, 2, 1, 0]] }]);
  assert.is(rowCells(fairnessSummary(r.strategies).rows[0])[1], 'min 0.0 med 4.5 max 50.0');
  assert.equal(crowdLines(r.strategies), [
    'none: busiest workers 1 50.0%, 2 20.0%, 3 10.0%; least busy 10 0.0%, 9 1.0%, 8 2.0% (even: 10.0%)',
  ]);
  assert.equal(crowdLines(tiny().strategies), [], 'two workers: every share is in the table already');
  const spec = shareChart(labelRuns([r])).spec as any;
  assert.is(spec.spec.layer[0].encoding.x.sort, '-y');
  assert.equal(spec.resolve, { scale: { x: 'independent' } });
});

test('over repetitions the shares column goes by rank: a heavy worker that moves between clusters stays heavy', () => {
  const strategies = [0, 1, 2].map((k) => {
    const row = [20, 20, 20, 20];
    row[k] = 40;
    return { ...strategy({ name: 'none', counts: [row] }), rep: k + 1 };
  });
  const t = fairnessSummary(strategies);
  assert.equal(rowCells(t.rows[0]).slice(0, 2), ['none ×3', sharesText([0.4, 0.2, 0.2, 0.2])]);
});

test.run();
