// latency.hlog: every strategy's latency histograms as an HdrHistogram interval log (format V1.3,
// compressed V2 histograms), which HdrHistogram's plotters and its Java, C, Python, Rust and JS
// libraries read and merge. One interval per strategy and repetition, tagged with the strategy's
// label (`rr`, `rr@baseline`), and one per worker, tagged `<label>/<pid>`. Values are µs.
import { HistogramLogWriter, type Int32Histogram } from 'hdr-histogram-js';

export const HLOG_FILE = 'latency.hlog';

/** One strategy repetition's histograms: all its ok responses, and each worker's. */
export interface LatencyHistograms {
  all: Int32Histogram;
  perPid: ReadonlyArray<readonly [number, Int32Histogram]>;
  /** Epoch ms: when its load started and ended. */
  startMs: number;
  endMs: number;
}

/** Tags may not hold a comma or whitespace (the log's own separators). */
const tagOf = (s: string): string => s.replace(/[\s,]/g, '_');

export class HlogWriter {
  private text = '';
  private readonly writer = new HistogramLogWriter((s) => {
    this.text += s;
  });
  private started = false;
  private count = 0;

  /** Add a strategy repetition: its whole histogram, then each worker's (empty ones left out). */
  add(label: string, h: LatencyHistograms): void {
    if (!this.started) {
      this.writer.outputComment('cluster-sched-bench latency log: values in microseconds; tags <strategy> and <strategy>/<worker pid>');
      this.writer.outputLogFormatVersion();
      this.writer.outputStartTime(h.startMs);
      this.writer.baseTime = h.startMs;
      this.writer.outputLegend();
      this.started = true;
    }
    const interval = (tag: string, hist: Int32Histogram): void => {
      if (hist.totalCount === 0) return;
      hist.tag = tag;
      // Seconds since the log's base time; the max column in ms (µs / 1000).
      this.writer.outputIntervalHistogram(hist, (h.startMs - this.writer.baseTime) / 1000, (h.endMs - this.writer.baseTime) / 1000, 1000);
      this.count++;
    };
    interval(tagOf(label), h.all);
    for (const [pid, hist] of h.perPid) interval(`${tagOf(label)}/${pid}`, hist);
  }

  /** The log, or null when nothing was added. */
  content(): string | null {
    return this.count === 0 ? null : this.text;
  }
}
