// latency.hlog, read back by hdr-histogram-js's own log reader: the same intervals, tags and values.
import { HistogramLogReader, Int32Histogram } from 'hdr-histogram-js';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HlogWriter } from '../../format/hlog.js';

const hist = (values: number[]): Int32Histogram => {
  const h = new Int32Histogram(1, 2 ** 31 - 1, 3);
  for (const v of values) h.recordValue(v);
  return h;
};

test('each strategy and each worker an interval with its tag; the reader gives back the same counts and percentiles', () => {
  const w1 = hist([120, 250, 990, 15_000]);
  const w2 = hist([130, 260, 1010, 40_000, 41_000]);
  const all = hist([120, 250, 990, 15_000, 130, 260, 1010, 40_000, 41_000]);
  const log = new HlogWriter();
  assert.is(log.content(), null);
  log.add('rr', {
    all,
    perPid: [
      [101, w1],
      [102, w2],
    ],
    startMs: 1_700_000_000_000,
    endMs: 1_700_000_002_000,
  });
  log.add('least-connections@baseline', {
    all: hist([500]),
    perPid: [
      [103, hist([500])],
      [104, hist([])],
    ],
    startMs: 1_700_000_003_000,
    endMs: 1_700_000_004_500,
  });
  const text = log.content() as string;
  assert.match(text, /#\[StartTime: 1700000000\.000/);
  const reader = new HistogramLogReader(text);
  const read: Array<{ tag: string; count: number; p50: number; p99: number; max: number; start: number }> = [];
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram())
    read.push({
      tag: h.tag,
      count: h.totalCount,
      p50: h.getValueAtPercentile(50),
      p99: h.getValueAtPercentile(99),
      max: h.maxValue,
      start: h.startTimeStampMsec,
    });
  assert.equal(
    read.map((r) => r.tag),
    ['rr', 'rr/101', 'rr/102', 'least-connections@baseline', 'least-connections@baseline/103'],
    'the empty worker histogram is left out',
  );
  const same = (a: Int32Histogram, r: (typeof read)[number]): void => {
    assert.is(r.count, a.totalCount);
    assert.is(r.p50, a.getValueAtPercentile(50));
    assert.is(r.p99, a.getValueAtPercentile(99));
    // A decoded histogram knows its max to its 3 significant digits: the same bucket.
    assert.is(a.lowestEquivalentValue(r.max), a.lowestEquivalentValue(a.maxValue));
  };
  same(all, read[0]);
  same(w1, read[1]);
  same(w2, read[2]);
  assert.is(read[3].start - read[0].start, 3000, 'intervals keep their times');
});

test.run();
