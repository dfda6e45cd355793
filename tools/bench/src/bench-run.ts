import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { HARNESS, sleep, type BenchContext, type PhaseCost } from './bench-context';
import { usesKafka, type BenchOptions } from './bench-options';
import { runBaselinePhase, type BaselineResult } from './baseline-phase';
import { benchTargets, type Target } from './bench-targets';
import { runIdlePhase, type IdleResult } from './idle-phase';
import { runLatencyPhase, type LatencyResult } from './latency-phase';
import { machineBusySeconds } from './process-sampler';
import { runThroughputPhase, type ThroughputResult } from './throughput-phase';
import type { SignatureStats } from './receiver-protocol';

export interface MachineInfo {
  cores: number;
  cpuModel: string;
  memoryMb: number;
  freeMemoryMbAtStart: number;
  node: string;
  platform: string;
  /** 1/5/15-minute load averages before the bench started anything, and after the run. */
  loadAverageAtStart: number[];
  loadAverageAtEnd: number[];
  /** Cores other work kept busy, sampled from /proc/stat before the bench started any process. */
  busyCoresAtStart: number;
  /** True when other work kept ≥ 10% of the machine busy before the bench started. */
  contended: boolean;
}

export interface BenchResult {
  date: string;
  quick: boolean;
  /** `--filter`: every fan-out webhook had a payload filter. */
  filter?: boolean;
  /** Headline phase with a payload filter on every webhook ÷ the same phase without (deliveries/s). */
  filteredRatio?: number | null;
  /** Headline figures: fan-out 10, 1 KiB (or the first throughput phase run). */
  deliveriesPerSecond: number;
  eventsPerSecond: number;
  ratioToBaseline: number | null;
  /** Publish → arrival at half the measured maximum (fan-out 10, 1 KiB, all healthy). */
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  /** Deliveries to healthy endpoints the receivers had not confirmed when a phase's drain timed out, over every phase. */
  lost: number;
  /** Whole box (Herald's five services + Kafka + PostgreSQL) CPU seconds per 1,000 deliveries in the headline phase. */
  cpuSecondsPer1000: number | null;
  /** Healthy endpoints' p99 with 10% hanging + 10% failing ÷ p99 with all healthy, at the same rate. */
  isolationRatio: number | null;
  allConfirmed: boolean;
  machine: MachineInfo;
  settings: BenchOptions & { matcherConcurrency: string; auditBatch: string; kafkaJit: string };
  idle: IdleResult | null;
  baseline: BaselineResult[];
  throughput: ThroughputResult[];
  /** 1 event/s (fan-out 1), 45 events/s (fan-out 1), 11 events/s (fan-out 10). */
  lowRate: LatencyResult[];
  latency: LatencyResult | null;
  isolation: LatencyResult | null;
  signatures: SignatureStats;
  /** The busiest phase's receiver CPU per receiver process, in cores: well below 1, they were never the bound. */
  receiverPeakCores: number | null;
  targets: Record<string, Target>;
  durationSeconds: number;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function filteredRatio(throughput: ThroughputResult[], headline: ThroughputResult | undefined): number | null {
  const twin = throughput.find(
    (t) =>
      t.filtered &&
      headline &&
      !headline.filtered &&
      t.fanout === headline.fanout &&
      t.bodyBytes === headline.bodyBytes,
  );
  return twin && headline && headline.deliveriesPerSecond > 0
    ? round2(twin.deliveriesPerSecond / headline.deliveriesPerSecond)
    : null;
}

/**
 * The machine before the bench starts any process of its own: load averages, and the cores
 * busy over `sampleMs` from /proc/stat (load averages lag by a minute; this does not).
 */
export async function machineAtStart(sampleMs = 3000): Promise<MachineInfo> {
  const before = machineBusySeconds();
  const from = performance.now();
  await sleep(sampleMs);
  const busyCores = round2((machineBusySeconds() - before) / ((performance.now() - from) / 1000));
  const load = loadavg().map(round2);
  const cores = cpus().length;
  return {
    cores,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryMb: Math.round(totalmem() / 1048576),
    freeMemoryMbAtStart: Math.round(freemem() / 1048576),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: load,
    loadAverageAtEnd: load,
    busyCoresAtStart: busyCores,
    contended: busyCores >= 0.1 * cores,
  };
}

function receiverPeak(phases: { cost: PhaseCost | null }[], processes: number): number | null {
  const cores = phases
    .map((p) => p.cost?.processes[HARNESS.receivers]?.cores)
    .filter((c): c is number => c !== undefined);
  return cores.length > 0 ? round2(Math.max(...cores) / processes) : null;
}

/** 10% of endpoints hang (the deliverer's timeout ends each request), 10% answer 500. */
const misbehave = (i: number) => (i % 10 === 0 ? 'hang' : i % 10 === 1 ? 'error' : 'ok');

/**
 * The whole benchmark against a running stack: idle first (nothing sent yet), baselines
 * (Herald idle), throughput at each fan-out × payload, the low rates, latency at half the
 * measured maximum, then the same rate with 10% of endpoints hanging and 10% failing (last:
 * their retries outlive the phase).
 */
export async function runBench(ctx: BenchContext, machine: MachineInfo): Promise<BenchResult> {
  const started = Date.now();
  const { options } = ctx;
  let phase = 0;
  const nextId = () => `p${phase++}`;
  const headlineFanout = options.fanouts.includes(10) ? 10 : Math.max(...options.fanouts);
  const headlineBytes = options.payloads.includes(1024) ? 1024 : options.payloads[0];
  const kib = `${headlineBytes / 1024} KiB`;

  const idle = options.idle ? await runIdlePhase(ctx) : null;
  const baseline: BaselineResult[] = [];
  if (options.baseline) {
    for (const bytes of options.payloads) {
      baseline.push(await runBaselinePhase(ctx, nextId(), bytes, headlineFanout * options.tenants));
    }
  }
  if (options.stackWarmupMs > 0 && usesKafka(options)) {
    // Unmeasured: C2 compiling in the broker took a fifth of a core through the first minutes of
    // traffic, which would land in whichever phase came first.
    ctx.log(`stack warm-up, not measured: ${options.stackWarmupMs / 1000} s of fan-out 10 traffic`);
    const share = Math.max(1000, Math.round(options.stackWarmupMs / options.payloads.length));
    for (const bytes of options.payloads) {
      await runThroughputPhase(
        { ...ctx, options: { ...options, warmupMs: share, durationMs: 1000 } },
        nextId(),
        10,
        bytes,
      );
    }
  }
  const throughput: ThroughputResult[] = [];
  for (const bytes of options.payloads) {
    for (const fanout of options.fanouts) {
      const result = await runThroughputPhase(ctx, nextId(), fanout, bytes);
      const base = baseline.find((b) => b.bodyBytes === bytes);
      result.ratioToBaseline =
        base && base.deliveriesPerSecond > 0 ? round2(result.deliveriesPerSecond / base.deliveriesPerSecond) : null;
      throughput.push(result);
    }
  }
  // Issue 16: the headline phase again with a payload filter on every webhook, beside the unfiltered run.
  const headlineRun = throughput.find((t) => t.fanout === headlineFanout && t.bodyBytes === headlineBytes);
  if (options.filterTwin && !options.filter && headlineRun) {
    const twin = await runThroughputPhase(ctx, nextId(), headlineFanout, headlineBytes, true);
    const base = baseline.find((b) => b.bodyBytes === headlineBytes);
    twin.ratioToBaseline = base ? round2(twin.deliveriesPerSecond / Math.max(1, base.deliveriesPerSecond)) : null;
    throughput.push(twin);
  }
  const lowRate: LatencyResult[] = [];
  if (options.lowRate) {
    const windows = { warmupMs: options.lowRateWarmupMs, durationMs: options.lowRateDurationMs };
    for (const { rate, fanout, durationMs } of [
      ...(options.oneRate ? [{ rate: 1, fanout: 1, durationMs: options.oneRateDurationMs }] : []),
      { rate: 45, fanout: 1, durationMs: options.lowRateDurationMs },
      { rate: 11, fanout: 10, durationMs: options.lowRateDurationMs },
    ]) {
      const name = `low rate, fan-out ${fanout}, ${kib}`;
      lowRate.push(
        await runLatencyPhase(ctx, nextId(), { name, fanout, bodyBytes: headlineBytes, rate, ...windows, durationMs }),
      );
    }
  }
  const headline = headlineRun ?? throughput[0];
  const rate = options.latencyRate ?? Math.max(1, Math.round((headline?.eventsPerSecond ?? 20) / 2));
  const latency = options.latency
    ? await runLatencyPhase(ctx, nextId(), {
        name: `fan-out ${headlineFanout}, ${kib}, all healthy`,
        fanout: headlineFanout,
        bodyBytes: headlineBytes,
        rate,
      })
    : null;
  const isolation =
    options.isolation && headlineFanout >= 10
      ? await runLatencyPhase(ctx, nextId(), {
          name: `fan-out ${headlineFanout}, ${kib}, 10% hanging + 10% failing`,
          fanout: headlineFanout,
          bodyBytes: headlineBytes,
          rate,
          modeOf: misbehave,
        })
      : null;

  const latencyRuns = [...lowRate, ...(latency ? [latency] : []), ...(isolation ? [isolation] : [])];
  const lost = [...throughput, ...latencyRuns].reduce((sum, r) => sum + r.lost, 0);
  machine.loadAverageAtEnd = loadavg().map(round2);
  const isolationRatio =
    latency && isolation && latency.latencyMs.p99 > 0 ? round2(isolation.latencyMs.p99 / latency.latencyMs.p99) : null;
  const cpuSecondsPer1000 = headline?.cost?.wholeBox.cpuSecondsPer1000 ?? null;
  const result: Omit<BenchResult, 'targets'> = {
    date: new Date(started).toISOString(),
    quick: options.quick,
    filter: options.filter,
    filteredRatio: filteredRatio(throughput, headline),
    deliveriesPerSecond: headline?.deliveriesPerSecond ?? 0,
    eventsPerSecond: headline?.eventsPerSecond ?? 0,
    ratioToBaseline: headline?.ratioToBaseline ?? null,
    latencyMs: latency
      ? {
          p50: latency.latencyMs.p50,
          p95: latency.latencyMs.p95,
          p99: latency.latencyMs.p99,
          max: latency.latencyMs.max,
        }
      : null,
    lost,
    cpuSecondsPer1000,
    isolationRatio,
    allConfirmed:
      lost === 0 && throughput.every((t) => t.confirmed && t.audit.complete) && latencyRuns.every((r) => r.confirmed),
    machine,
    settings: {
      ...options,
      matcherConcurrency: '64 per partition (fixed in libs/matching)',
      kafkaJit: process.env.KAFKA_JIT ?? 'c1',
      auditBatch:
        'up to 500 rows or 20 ms per write; fetches gather up to 500 ms / 1 MiB while records flow (libs/event-log)',
    },
    idle,
    baseline,
    throughput,
    lowRate,
    latency,
    isolation,
    signatures: await ctx.fleet.signatures(),
    receiverPeakCores: receiverPeak([...baseline, ...throughput, ...latencyRuns], options.servers),
    durationSeconds: Math.round((Date.now() - started) / 1000),
  };
  return { ...result, targets: benchTargets(result) };
}
