import type { BenchResult } from './bench-run';
import type { LatencyResult } from './latency-phase';

export interface Target {
  /** The issue that sets it. */
  issue: 14 | 20;
  target: string;
  value: number | null;
  /** null: the phase that measures it did not run. */
  met: boolean | null;
}

const check = (
  issue: 14 | 20,
  target: string,
  value: number | null | undefined,
  ok: (v: number) => boolean,
): Target => ({
  issue,
  target,
  value: value ?? null,
  met: value === null || value === undefined ? null : ok(value),
});

/** Every target of issues 14 and 20, with the value this run measured and whether it is met. */
export function benchTargets(result: Omit<BenchResult, 'targets'>): Record<string, Target> {
  const phase = (fanout: number, bytes: number) =>
    result.throughput.find((t) => t.fanout === fanout && t.bodyBytes === bytes && !t.filtered);
  const lowRate = (rate: number, fanout: number): LatencyResult | undefined =>
    result.lowRate.find((r) => r.ratePerSecond === rate && r.fanout === fanout);
  const f10 = phase(10, 1024);
  const f1 = phase(1, 1024);
  const everyDeliveryAudited = (f10?.audit.complete ?? false) && result.lost === 0;
  const sizeRatio = (fanout: number) => {
    const small = phase(fanout, 1024);
    const large = phase(fanout, 16384);
    return small && large && small.deliveriesPerSecond > 0
      ? Math.round((large.deliveriesPerSecond / small.deliveriesPerSecond) * 100) / 100
      : null;
  };
  const at45 = lowRate(45, 1);
  const at11 = lowRate(11, 10);
  const at1 = lowRate(1, 1);
  const base = result.baseline.find((b) => b.bodyBytes === 1024);
  return {
    fanout10Deliveries: check(
      14,
      'fan-out 10, 1 KiB: ≥ 5,000 deliveries/s, nothing lost, every delivery audited',
      f10?.deliveriesPerSecond,
      (v) => v >= 5000 && everyDeliveryAudited,
    ),
    fanout10Moonshot: check(
      14,
      'fan-out 10, 1 KiB: ≥ 10,000 deliveries/s (moonshot)',
      f10?.deliveriesPerSecond,
      (v) => v >= 10000 && everyDeliveryAudited,
    ),
    fanout1Events: check(14, 'fan-out 1, 1 KiB: ≥ 2,500 events/s', f1?.eventsPerSecond, (v) => v >= 2500),
    cpuSecondsPer1000: check(
      14,
      'whole box ≤ 0.35 CPU-s per 1,000 deliveries at fan-out 10',
      f10?.cost?.wholeBox.cpuSecondsPer1000,
      (v) => v <= 0.35,
    ),
    p50At45: check(14, 'p50 ≤ 10 ms at 45 events/s, fan-out 1', at45?.latencyMs.p50, (v) => v <= 10),
    p99At45: check(14, 'p99 ≤ 25 ms at 45 events/s, fan-out 1', at45?.latencyMs.p99, (v) => v <= 25),
    p50At11: check(14, 'p50 ≤ 10 ms at 11 events/s, fan-out 10', at11?.latencyMs.p50, (v) => v <= 10),
    p99At11: check(14, 'p99 ≤ 25 ms at 11 events/s, fan-out 10', at11?.latencyMs.p99, (v) => v <= 25),
    p50AtHalfMax: check(14, 'p50 ≤ 20 ms at half the measured maximum', result.latency?.latencyMs.p50, (v) => v <= 20),
    p99AtHalfMax: check(
      14,
      'p99 ≤ 100 ms at half the measured maximum',
      result.latency?.latencyMs.p99,
      (v) => v <= 100,
    ),
    isolationRatio: check(
      14,
      'healthy p99 with 10% hanging + 10% failing ≤ 2 × all-healthy p99, same rate',
      result.isolationRatio,
      (v) => v <= 2,
    ),
    baseline: check(
      14,
      "bench's bare POST loop ≥ 10,000 POSTs/s (1 KiB)",
      base?.deliveriesPerSecond,
      (v) => v >= 10000,
    ),
    size16KiBFanout1: check(
      14,
      '16 KiB within 2× of 1 KiB (deliveries/s ratio ≥ 0.5), fan-out 1',
      sizeRatio(1),
      (v) => v >= 0.5,
    ),
    size16KiBFanout10: check(
      14,
      '16 KiB within 2× of 1 KiB (deliveries/s ratio ≥ 0.5), fan-out 10',
      sizeRatio(10),
      (v) => v >= 0.5,
    ),
    idleCores: check(
      20,
      'idle stack (five services, Kafka, PostgreSQL) ≤ 0.10 of a core over the idle window',
      result.idle?.cost?.wholeBox.cores,
      (v) => v <= 0.1,
    ),
    p50At1: check(20, 'p50 ≤ 10 ms at 1 event/s', at1?.latencyMs.p50, (v) => v <= 10),
    p99At1: check(20, 'p99 ≤ 25 ms at 1 event/s', at1?.latencyMs.p99, (v) => v <= 25),
    cpuAt45: check(
      20,
      'whole box ≤ 8 CPU-s per 1,000 deliveries at 45 events/s, fan-out 1',
      at45?.cost?.wholeBox.cpuSecondsPer1000,
      (v) => v <= 8,
    ),
    cpuAt11: check(
      20,
      'whole box ≤ 2 CPU-s per 1,000 deliveries at 11 events/s, fan-out 10',
      at11?.cost?.wholeBox.cpuSecondsPer1000,
      (v) => v <= 2,
    ),
  };
}
