import { startTestStack, testBrokers, TEST_ADMIN_KEY, type TestStack } from '@herald/testing';
import { EventPublisher, type BenchContext } from './bench-context';
import { DEFAULT_OPTIONS, type BenchOptions } from './bench-options';
import { runBench, type BenchResult } from './bench-run';
import { ReceiverFleet } from './receiver-fleet';

jest.setTimeout(240_000);

/**
 * A tiny bench run on the real stack: every phase must end with every delivery confirmed by the
 * receivers (count + checksum) and stored by audit-log. It asserts completeness, not speed.
 */
describe('bench harness (tiny run)', () => {
  let stack: TestStack;
  const fleet = new ReceiverFleet({ servers: 2, verifyEvery: 5 });
  let publisher: EventPublisher;
  let result: BenchResult;

  beforeAll(async () => {
    stack = await startTestStack({
      env: {
        '*': { LOG_LEVEL: 'warn' },
        // The receivers are on loopback, which Herald refuses unless allow-listed.
        'subscription-api': { WEBHOOK_URL_ALLOWED_CIDRS: '127.0.0.0/8' },
        deliverer: { DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8', DELIVERY_ENDPOINT_CONCURRENCY: '64', DELIVERY_ENDPOINT_RATE_PER_SECOND: '0' },
      },
    });
    await fleet.start();
    publisher = new EventPublisher(testBrokers(), `${stack.prefix}webhooks.ingest`);
    await publisher.connect();
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
      outDir: null,
    };
    const ctx: BenchContext = {
      options,
      fleet,
      publisher,
      apiUrl: stack.services['subscription-api'].url,
      adminApiKey: TEST_ADMIN_KEY,
      databaseUrl: stack.databaseUrl,
      cost: null,
      log: () => undefined,
    };
    result = await runBench(ctx);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await stack?.stop();
    await fleet.stop();
  });

  it('confirms every Herald delivery at the receivers and in audit-log', () => {
    expect(result.throughput.map((t) => t.fanout)).toEqual([1, 3]);
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

  it('confirms the baseline and verifies sampled signatures', () => {
    expect(result.baseline).toHaveLength(1);
    expect(result.baseline[0]).toMatchObject({ confirmed: true, lost: 0, failed: 0 });
    expect(result.baseline[0].expected).toBeGreaterThan(0);
    expect(result.signatures.checked).toBeGreaterThan(0);
    expect(result.signatures.bad).toBe(0);
  });

  it('reports the headline fields', () => {
    expect(result).toMatchObject({ deliveriesPerSecond: expect.any(Number), eventsPerSecond: expect.any(Number), lost: 0 });
    expect(result.machine.cores).toBeGreaterThan(0);
    expect(Object.keys(result.latencyMs!)).toEqual(['p50', 'p95', 'p99', 'max']);
  });
});
