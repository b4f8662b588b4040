/**
 * Small helpers the benchmarks share: percentiles, rates, peak memory.
 */

/** The p-th percentile of an ascending array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function formatRate(perSecond: number): string {
  return Math.round(perSecond).toLocaleString('sv-SE').padStart(8);
}

/** Samples the resident set size every 20 ms until stopped; returns the peak in bytes. */
export function sampleRss(): { stop(): number } {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, process.memoryUsage().rss);
    },
  };
}
