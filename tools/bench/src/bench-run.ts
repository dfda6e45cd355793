import { cpus, freemem, loadavg, totalmem } from 'node:os';
import type { BenchContext } from './bench-context';
import type { BenchOptions } from './bench-options';
import { runBaselinePhase, type BaselineResult } from './baseline-phase';
import { runLatencyPhase, type LatencyResult } from './latency-phase';
import { runThroughputPhase, type ThroughputResult } from './throughput-phase';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  freeMemoryMbAtStart: number;
  node: string;
  platform: string;
  /** 1/5/15-minute load averages before and after the run: other work on the machine. */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  /** True when something else kept the cores busy (1-minute load ≥ 0.5 per core at start). */
  contended: boolean;
}

export interface BenchResult {
  date: string;
  quick: boolean;
  /** Headline figures: fan-out 10, 1 KiB (or the first throughput phase run). */
  deliveriesPerSecond: number;
  eventsPerSecond: number;
  ratioToBaseline: number | null;
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  /** Deliveries to healthy endpoints the receivers had not confirmed when a phase's drain timed out, over every phase. */
  lost: number;
  allConfirmed: boolean;
  machine: MachineInfo;
  settings: BenchOptions & { matcherConcurrency: string; auditBatch: string };
  baseline: BaselineResult[];
  throughput: ThroughputResult[];
  latency: LatencyResult | null;
  isolation: LatencyResult | null;
  signatures: { checked: number; bad: number };
  targets: Record<string, { target: string; value: number | null; met: boolean | null }>;
  durationSeconds: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function machineInfo(): MachineInfo {
  const load = loadavg().map(round2);
  return {
    cores: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 1048576),
    freeMemoryMbAtStart: Math.round(freemem() / 1048576),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: load,
    loadAverageAtEnd: load,
    contended: load[0] >= 0.5 * cpus().length,
  };
}

/**
 * The whole benchmark against a running stack: baselines first (Herald idle), then throughput
 * at each fan-out × payload, then latency at half the measured maximum, then the same with 10%
 * of endpoints hanging and 10% failing.
 */
export async function runBench(ctx: BenchContext): Promise<BenchResult> {
  const started = Date.now();
  const { options } = ctx;
  const machine = machineInfo();
  let phase = 0;
  const nextId = () => `p${phase++}`;
  const headlineFanout = options.fanouts.includes(10) ? 10 : Math.max(...options.fanouts);
  const headlineBytes = options.payloads.includes(1024) ? 1024 : options.payloads[0];

  const baseline: BaselineResult[] = [];
  if (options.baseline) {
    for (const bytes of options.payloads) {
      baseline.push(await runBaselinePhase(ctx, nextId(), bytes, headlineFanout * options.tenants));
    }
  }
  const throughput: ThroughputResult[] = [];
  for (const bytes of options.payloads) {
    for (const fanout of options.fanouts) {
      const result = await runThroughputPhase(ctx, nextId(), fanout, bytes);
      const base = baseline.find((b) => b.bodyBytes === bytes);
      result.ratioToBaseline = base && base.deliveriesPerSecond > 0 ? round2(result.deliveriesPerSecond / base.deliveriesPerSecond) : null;
      throughput.push(result);
    }
  }
  const headline =
    throughput.find((t) => t.fanout === headlineFanout && t.bodyBytes === headlineBytes) ?? throughput[0];
  const rate = options.latencyRate ?? Math.max(1, Math.round((headline?.eventsPerSecond ?? 20) / 2));
  const latency = options.latency
    ? await runLatencyPhase(ctx, nextId(), { name: `fan-out ${headlineFanout}, ${headlineBytes / 1024} KiB, all healthy`, fanout: headlineFanout, bodyBytes: headlineBytes, rate })
    : null;
  // 10% of endpoints hang (the deliverer's timeout ends each request), 10% answer 500.
  const misbehave = (i: number) => (i % 10 === 0 ? 'hang' : i % 10 === 1 ? 'error' : 'ok');
  const isolation =
    options.isolation && headlineFanout >= 10
      ? await runLatencyPhase(ctx, nextId(), {
          name: `fan-out ${headlineFanout}, ${headlineBytes / 1024} KiB, 10% hanging + 10% failing`,
          fanout: headlineFanout,
          bodyBytes: headlineBytes,
          rate,
          modeOf: misbehave,
        })
      : null;

  const lost = [...throughput, ...(latency ? [latency] : [])].reduce((sum, r) => sum + r.lost, 0);
  machine.loadAverageAtEnd = loadavg().map(round2);
  const p99 = latency?.latencyMs.p99 ?? null;
  const isolatedP99 = isolation?.latencyMs.p99 ?? null;
  return {
    date: new Date(started).toISOString(),
    quick: options.quick,
    deliveriesPerSecond: headline?.deliveriesPerSecond ?? 0,
    eventsPerSecond: headline?.eventsPerSecond ?? 0,
    ratioToBaseline: headline?.ratioToBaseline ?? null,
    latencyMs: latency ? { p50: latency.latencyMs.p50, p95: latency.latencyMs.p95, p99: latency.latencyMs.p99, max: latency.latencyMs.max } : null,
    lost,
    allConfirmed: lost === 0 && throughput.every((t) => t.confirmed && t.audit.complete) && (latency?.confirmed ?? true),
    machine,
    settings: { ...options, matcherConcurrency: '64 per partition (fixed in libs/matching)', auditBatch: 'up to 500 rows or 20 ms (fixed in libs/event-log)' },
    baseline,
    throughput,
    latency,
    isolation,
    signatures: { checked: ctx.fleet.signaturesChecked, bad: ctx.fleet.signaturesBad },
    targets: {
      deliveriesPerSecond: { target: '≥ 2000 at fan-out 10, 1 KiB, nothing lost', value: headline?.deliveriesPerSecond ?? null, met: headline ? headline.deliveriesPerSecond >= 2000 && lost === 0 : null },
      p99: { target: '≤ 250 ms at 50% of max', value: p99, met: p99 === null ? null : p99 <= 250 },
      isolatedP99: { target: '≤ 2 × healthy p99 with 20% misbehaving', value: isolatedP99, met: isolatedP99 === null || p99 === null ? null : isolatedP99 <= 2 * p99 },
      ratioToBaseline: { target: '≥ 0.4', value: headline?.ratioToBaseline ?? null, met: headline?.ratioToBaseline == null ? null : headline.ratioToBaseline >= 0.4 },
    },
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
}
