import { HARNESS, phaseCost } from './bench-context';
import { markdownReport } from './bench-report';
import type { BenchResult } from './bench-run';
import { benchTargets } from './bench-targets';
import type { LatencyResult } from './latency-phase';
import { OTHER_PROCESSES } from './process-sampler';
import type { ThroughputResult } from './throughput-phase';

const cost = (boxCpu: number, deliveries: number, seconds = 10) =>
  phaseCost(
    {
      deliverer: { cpuSeconds: boxCpu / 2, peakRssMb: 100 },
      kafka: { cpuSeconds: boxCpu / 2, peakRssMb: 400 },
      [HARNESS.bench]: { cpuSeconds: 1, peakRssMb: 80 },
      [OTHER_PROCESSES]: { cpuSeconds: 3, peakRssMb: 0 },
    },
    deliveries,
    seconds,
  );

const throughput = (
  fanout: number,
  bodyBytes: number,
  deliveriesPerSecond: number,
  filtered = false,
): ThroughputResult => ({
  name: `f${fanout}`,
  fanout,
  bodyBytes,
  filtered,
  endpoints: fanout * 4,
  measuredSeconds: 30,
  deliveriesPerSecond,
  eventsPerSecond: deliveriesPerSecond / fanout,
  ratioToBaseline: null,
  expected: 100,
  confirmed: true,
  lost: 0,
  duplicates: 0,
  audit: { rows: 100, delivered: 100, complete: true },
  cost: cost(deliveriesPerSecond * 30 * 0.0003, deliveriesPerSecond * 30),
});

const latency = (ratePerSecond: number, fanout: number, p50: number, p99: number, boxCpu = 1): LatencyResult => ({
  name: `${ratePerSecond}/s`,
  fanout,
  bodyBytes: 1024,
  endpoints: fanout * 4,
  ratePerSecond,
  measuredSeconds: 40,
  latencyMs: { count: 100, p50, p95: p99, p99, max: p99, mean: p50 },
  notArrived: 0,
  expected: 100,
  confirmed: true,
  lost: 0,
  duplicates: 0,
  misbehaving: { hanging: 0, failing: 0, hungRequests: 0, refusedRequests: 0 },
  audit: { rows: 100, delivered: 100 },
  publishLagMs: { p50: 0.1, p99: 1, max: 2 },
  cost: cost(boxCpu, 1000),
  kafkaRequests: null,
  curve: [],
});

function result(): Omit<BenchResult, 'targets'> {
  return {
    date: '2026-12-03T00:00:00.000Z',
    quick: false,
    deliveriesPerSecond: 6000,
    eventsPerSecond: 600,
    ratioToBaseline: 0.5,
    latencyMs: { p50: 15, p95: 40, p99: 80, max: 90 },
    lost: 0,
    cpuSecondsPer1000: 0.3,
    isolationRatio: 1.5,
    allConfirmed: true,
    machine: {
      cores: 2,
      cpuModel: 'x',
      memoryMb: 1,
      freeMemoryMbAtStart: 1,
      node: 'v20',
      platform: 'linux',
      loadAverageAtStart: [0, 0, 0],
      loadAverageAtEnd: [0, 0, 0],
      busyCoresAtStart: 0.02,
      contended: false,
    },
    settings: {} as BenchResult['settings'],
    idle: { settleSeconds: 10, measuredSeconds: 60, cost: cost(3, 0, 60) },
    baseline: [],
    throughput: [
      throughput(1, 1024, 3000),
      throughput(10, 1024, 6000),
      throughput(1, 16384, 1000),
      throughput(10, 16384, 4000),
      // The filtered twin of the headline phase must not stand in for it.
      throughput(10, 1024, 100, true),
    ],
    lowRate: [latency(1, 1, 5, 20), latency(45, 1, 8, 30, 5), latency(11, 10, 9, 24, 3)],
    latency: latency(300, 10, 15, 80),
    isolation: null,
    signatures: { checked: 10, bad: 0, unknown: 0 },
    receiverPeakCores: 0.2,
    durationSeconds: 700,
  };
}

describe('bench targets', () => {
  it('judges every target of issues 14 and 20 from the phases', () => {
    const targets = benchTargets(result());
    expect(targets.fanout10Deliveries).toMatchObject({ issue: 14, value: 6000, met: true });
    expect(targets.fanout10Moonshot).toMatchObject({ value: 6000, met: false });
    expect(targets.fanout1Events).toMatchObject({ value: 3000, met: true });
    expect(targets.cpuSecondsPer1000.met).toBe(true);
    expect(targets.p99At45).toMatchObject({ value: 30, met: false });
    expect(targets.p99At11).toMatchObject({ value: 24, met: true });
    expect(targets.size16KiBFanout1).toMatchObject({ value: 0.33, met: false });
    expect(targets.size16KiBFanout10).toMatchObject({ value: 0.67, met: true });
    // 3 CPU-s over 60 s idle: 0.05 of a core.
    expect(targets.idleCores).toMatchObject({ issue: 20, value: 0.05, met: true });
    expect(targets.cpuAt45).toMatchObject({ value: 5, met: true });
    expect(targets.cpuAt11).toMatchObject({ value: 3, met: false });
    expect(targets.isolationRatio).toMatchObject({ value: 1.5, met: true });
    // The baseline did not run: reported, not measured.
    expect(targets.baseline).toMatchObject({ value: null, met: null });
  });

  it('fails the throughput target when anything was lost, however fast', () => {
    expect(benchTargets({ ...result(), lost: 1 }).fanout10Deliveries.met).toBe(false);
  });

  it('puts every target in the report', () => {
    const full = result();
    const report = markdownReport({ ...full, targets: benchTargets(full) });
    for (const target of Object.values(benchTargets(full))) expect(report).toContain(target.target);
    expect(report).toContain('**whole box**');
  });

  it('reports the filtered headline phase as its own row, next to the unfiltered one', () => {
    const full = { ...result(), filteredRatio: 0.02 };
    const report = markdownReport({ ...full, targets: benchTargets(full) });
    expect(report).toMatch(/\| Herald \| 10 \| 1 KiB \| 6,000 \|/);
    expect(report).toMatch(/\| Herald, payload filter on every webhook \| 10 \| 1 KiB \| 100 \|/);
    expect(report).toContain('with a payload filter on every webhook 0.02× the unfiltered rate');
  });
});

describe('phase cost', () => {
  it('splits the whole box (Herald, Kafka, PostgreSQL) from the harness and other processes', () => {
    const c = cost(4, 2000, 10);
    expect(c.wholeBox).toMatchObject({ cpuSeconds: 4, cores: 0.4, cpuSecondsPer1000: 2 });
    expect(c.harness).toMatchObject({ cpuSeconds: 1, cpuSecondsPer1000: 0.5 });
    expect(c.processes[OTHER_PROCESSES]).toMatchObject({ cpuSeconds: 3, cores: 0.3 });
    expect(cost(4, 0).wholeBox.cpuSecondsPer1000).toBeNull();
  });
});
