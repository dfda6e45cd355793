import { LatencyRecorder } from './latency-recorder';

describe('LatencyRecorder', () => {
  it('gives nearest-rank percentiles', () => {
    const recorder = new LatencyRecorder();
    for (let ms = 100; ms >= 1; ms--) recorder.record(ms);
    expect(recorder.percentile(50)).toBe(50);
    expect(recorder.percentile(95)).toBe(95);
    expect(recorder.percentile(99)).toBe(99);
    expect(recorder.percentile(99.5)).toBe(100);
    expect(recorder.percentile(0)).toBe(1);
    expect(recorder.percentile(100)).toBe(100);
    expect(recorder.summary()).toEqual({ count: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 });
  });

  it('keeps every sample as it grows, and sees the tail', () => {
    const recorder = new LatencyRecorder();
    for (let i = 0; i < 9_990; i++) recorder.record(2);
    for (let i = 0; i < 10; i++) recorder.record(5000);
    expect(recorder.count).toBe(10_000);
    expect(recorder.percentile(99)).toBe(2);
    expect(recorder.percentile(99.95)).toBe(5000);
    expect(recorder.summary().max).toBe(5000);
  });

  it('re-sorts after new samples and is empty-safe', () => {
    const recorder = new LatencyRecorder();
    expect(recorder.summary()).toEqual({ count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 });
    expect(recorder.curve()).toEqual([]);
    recorder.record(10);
    expect(recorder.percentile(50)).toBe(10);
    recorder.record(1);
    recorder.record(2);
    expect(recorder.percentile(50)).toBe(2);
    expect(recorder.curve().at(-1)).toEqual({ percentile: 100, ms: 10 });
  });
});
