export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/**
 * Exact latency percentiles: every sample is kept (a Float64Array that doubles as it fills; a
 * million samples is 8 MB), so there is no bucket error to reason about.
 */
export class LatencyRecorder {
  private samples = new Float64Array(1024);
  private size = 0;
  private sorted: Float64Array | null = null;

  record(ms: number): void {
    if (this.size === this.samples.length) {
      const grown = new Float64Array(this.samples.length * 2);
      grown.set(this.samples);
      this.samples = grown;
    }
    this.samples[this.size++] = ms;
    this.sorted = null;
  }

  get count(): number {
    return this.size;
  }

  /** Nearest-rank percentile (p in 0..100): the smallest sample with at least p% of samples ≤ it. */
  percentile(p: number): number {
    if (this.size === 0) return 0;
    const sorted = this.sortedSamples();
    const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * this.size);
    return sorted[Math.max(rank, 1) - 1];
  }

  summary(): LatencySummary {
    let total = 0;
    for (let i = 0; i < this.size; i++) total += this.samples[i];
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      count: this.size,
      p50: round(this.percentile(50)),
      p95: round(this.percentile(95)),
      p99: round(this.percentile(99)),
      max: round(this.percentile(100)),
      mean: round(this.size ? total / this.size : 0),
    };
  }

  /** Points (percentile, ms) for a latency-by-percentile chart, denser towards the tail. */
  curve(): { percentile: number; ms: number }[] {
    const points = [0, 10, 20, 30, 40, 50, 60, 70, 75, 80, 85, 90, 95, 97, 98, 99, 99.5, 99.9, 99.99, 100];
    return this.size === 0 ? [] : points.map((percentile) => ({ percentile, ms: this.percentile(percentile) }));
  }

  private sortedSamples(): Float64Array {
    if (!this.sorted) this.sorted = this.samples.slice(0, this.size).sort();
    return this.sorted;
  }
}
