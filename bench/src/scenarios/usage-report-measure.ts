import { performance } from 'node:perf_hooks';
import { type UsageReportData } from '@lic/billing';

export interface ReportMeasurement {
  ms: number;
  /** Process RSS before the report, and the most seen while it ran. */
  rssBeforeBytes: number;
  peakRssBytes: number;
  heapBeforeBytes: number;
  peakHeapBytes: number;
  samples: number;
  lines: Array<{
    category: string;
    namedUsers: number;
    peakConcurrent: number;
    billableConcurrent: number;
    activeHours: number;
  }>;
}

/** Times one report, sampling RSS and heap every 5 ms while it runs. */
export async function measureReport(run: () => Promise<UsageReportData>): Promise<ReportMeasurement> {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  let peakHeap = before.heapUsed;
  let samples = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    samples += 1;
  };
  const timer = setInterval(sample, 5);
  const started = performance.now();
  try {
    const report = await run();
    const ms = performance.now() - started;
    sample();
    return {
      ms,
      rssBeforeBytes: before.rss,
      peakRssBytes: peakRss,
      heapBeforeBytes: before.heapUsed,
      peakHeapBytes: peakHeap,
      samples,
      lines: report.lines.map((l) => ({
        category: l.category,
        namedUsers: l.namedUsers,
        peakConcurrent: l.peakConcurrent,
        billableConcurrent: l.billableConcurrent,
        activeHours: l.activeHours,
      })),
    };
  } finally {
    clearInterval(timer);
  }
}
