import { execSync } from 'node:child_process';
import { distDir, repoRoot, SERVICE_NAMES } from '@herald/stack';
import { startTestStack, testBrokers, TEST_ADMIN_KEY, type TestStack } from '@herald/testing';
import { EventPublisher, HARNESS, type BenchContext } from './bench-context';
import { DEFAULT_OPTIONS, type BenchOptions } from './bench-options';
import { machineAtStart, runBench, type BenchResult } from './bench-run';
import { CostMonitor, OTHER_PROCESSES, type ProcessRoot } from './process-sampler';
import { ReceiverFleet } from './receiver-fleet';

jest.setTimeout(300_000);

/**
 * A tiny bench run on the real stack, receivers and load generator in their own processes:
 * every phase must end with every delivery confirmed by the receivers (count + checksum) and
 * stored by audit-log, and report its fields. It asserts completeness, not speed.
 */
describe('bench harness (tiny run)', () => {
  let stack: TestStack;
  const fleet = new ReceiverFleet({ servers: 2, verifyEvery: 5 });
  let publisher: EventPublisher;
  let cost: CostMonitor;
  let result: BenchResult;
  const logged: string[] = [];

  beforeAll(async () => {
    // The receivers and the load generator run from the built bench, as under npm run bench.
    execSync(
      `npx swc tools/bench/src --config-file .swcrc -d ${distDir} --quiet --ignore '**/*.spec.ts,**/*.int-spec.ts'`,
      { cwd: repoRoot },
    );
    const machine = await machineAtStart(500);
    stack = await startTestStack({
      env: {
        '*': { LOG_LEVEL: 'warn' },
        deliverer: { DELIVERY_ENDPOINT_CONCURRENCY: '64', DELIVERY_ENDPOINT_RATE_PER_SECOND: '0' },
      },
    });
    await fleet.start();
    publisher = new EventPublisher(testBrokers(), `${stack.prefix}webhooks.ingest`);
    await publisher.connect();
    const roots: Record<string, ProcessRoot> = {
      [HARNESS.bench]: { pids: [process.pid], tree: false },
      [HARNESS.receivers]: { pids: fleet.pids, tree: false },
    };
    for (const name of SERVICE_NAMES) roots[name] = { pids: [stack.services[name].pid!], tree: true };
    cost = new CostMonitor(roots);
    cost.start();
    const options: BenchOptions = {
      ...DEFAULT_OPTIONS,
      quick: true,
      warmupMs: 500,
      durationMs: 1500,
      drainTimeoutMs: 60_000,
      fanouts: [1, 3],
      payloads: [1024],
      tenants: 2,
      maxInFlight: 60,
      latencyRate: 20,
      isolation: false,
      baselineConcurrency: 4,
      idleSettleMs: 100,
      idleMs: 1000,
      lowRateWarmupMs: 500,
      lowRateDurationMs: 1500,
      oneRateDurationMs: 3000,
      stackWarmupMs: 1000,
      outDir: null,
    };
    const ctx: BenchContext = {
      options,
      fleet,
      publisher,
      apiUrl: stack.services['subscription-api'].url,
      adminApiKey: TEST_ADMIN_KEY,
      databaseUrl: stack.databaseUrl,
      cost,
      log: (line) => logged.push(line),
    };
    result = await runBench(ctx, machine);
  });

  afterAll(async () => {
    cost?.stop();
    await publisher?.disconnect();
    await stack?.stop();
    await fleet.stop();
  });

  it('sends unmeasured warm-up traffic through the stack before the first measured Kafka phase', () => {
    const warmup = logged.findIndex((line) => line.startsWith('stack warm-up, not measured'));
    const firstThroughput = logged.findIndex((line) => line.startsWith('throughput fan-out 1,'));
    expect(warmup).toBeGreaterThanOrEqual(0);
    // The warm-up's own phase (fan-out 10) ran between them and is in no result.
    expect(logged.slice(warmup, firstThroughput).some((line) => line.startsWith('throughput fan-out 10, 1 KiB'))).toBe(
      true,
    );
    expect(result.throughput.some((t) => t.fanout === 10)).toBe(false);
  });

  it('confirms every Herald delivery at the receivers and in audit-log', () => {
    // The headline phase runs twice: the second time with a payload filter on every webhook.
    expect(result.throughput.map((t) => [t.fanout, t.filtered])).toEqual([
      [1, false],
      [3, false],
      [3, true],
    ]);
    expect(result.filteredRatio).toBeGreaterThan(0);
    for (const phase of result.throughput) {
      expect(phase.expected).toBeGreaterThan(0);
      expect(phase).toMatchObject({ confirmed: true, lost: 0 });
      expect(phase.audit).toMatchObject({ complete: true, delivered: phase.expected });
    }
    expect(result.latency).toMatchObject({ confirmed: true, lost: 0 });
    expect(result.latency!.latencyMs.count).toBeGreaterThan(0);
    expect(result.lost).toBe(0);
    expect(result.allConfirmed).toBe(true);
  });

  it('runs the low rates (1, 45 and 11 events/s) with latency and nothing lost', () => {
    expect(result.lowRate.map((r) => [r.ratePerSecond, r.fanout])).toEqual([
      [1, 1],
      [45, 1],
      [11, 10],
    ]);
    for (const run of result.lowRate) {
      expect(run).toMatchObject({ confirmed: true, lost: 0 });
      expect(run.latencyMs.count).toBeGreaterThan(0);
      expect(run.latencyMs.p50).toBeGreaterThan(0);
      // Arrivals are stamped on the receivers' clocks: corrected, none precedes its event's due time.
      expect(run.curve[0].ms).toBeGreaterThan(-1);
    }
  });

  it('confirms the baseline, run from its own process, and verifies sampled signatures', () => {
    expect(result.baseline).toHaveLength(1);
    expect(result.baseline[0]).toMatchObject({ confirmed: true, lost: 0, failed: 0 });
    expect(result.baseline[0].expected).toBeGreaterThan(0);
    // The load generator's CPU is its own, not the bench's.
    expect(result.baseline[0].cost!.processes[HARNESS.loadGenerator].cpuSeconds).toBeGreaterThan(0);
    expect(result.signatures.checked).toBeGreaterThan(0);
    expect(result.signatures.bad).toBe(0);
  });

  it('reports CPU per process for every phase, the harness apart from Herald', () => {
    expect(result.idle!.cost!.wholeBox.cores).toBeGreaterThanOrEqual(0);
    for (const phase of [...result.throughput, ...result.lowRate, result.latency!]) {
      const processes = Object.keys(phase.cost!.processes);
      expect(processes).toEqual(
        expect.arrayContaining([...SERVICE_NAMES, HARNESS.bench, HARNESS.receivers, OTHER_PROCESSES]),
      );
      // Per 1,000 deliveries whenever the window carried any (a stalled busy machine may not).
      expect(phase.cost!.wholeBox.cpuSecondsPer1000 === null).toBe(phase.cost!.deliveries === 0);
    }
    // Receiving is the receivers' work, in their own processes, apart from the load generator's.
    const baseline = result.baseline[0].cost!;
    expect(baseline.processes[HARNESS.receivers].cpuSeconds).toBeGreaterThan(0);
    expect(baseline.harness.cpuSeconds).toBeGreaterThanOrEqual(
      baseline.processes[HARNESS.loadGenerator].cpuSeconds + baseline.processes[HARNESS.receivers].cpuSeconds - 0.01,
    );
  });

  it('reports the headline fields and every target', () => {
    expect(result).toMatchObject({
      deliveriesPerSecond: expect.any(Number),
      eventsPerSecond: expect.any(Number),
      cpuSecondsPer1000: expect.any(Number),
      lost: 0,
      isolationRatio: null,
    });
    expect(result.machine).toMatchObject({
      cores: expect.any(Number),
      busyCoresAtStart: expect.any(Number),
      contended: expect.any(Boolean),
    });
    expect(Object.keys(result.latencyMs!)).toEqual(['p50', 'p95', 'p99', 'max']);
    expect(result.targets.idleCores.met).not.toBeNull();
    expect(result.receiverPeakCores).toBeGreaterThan(0);
    expect(result.targets.p99At1.value).toBe(result.lowRate[0].latencyMs.p99);
    // No isolation phase in this run: its target is reported, as not measured.
    expect(result.targets.isolationRatio).toMatchObject({ issue: 14, value: null, met: null });
  });
});
