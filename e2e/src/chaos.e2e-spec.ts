import { shortChaosOptions, runChaos, type ChaosResult } from '@herald/chaos';
import { freePort, heraldHome } from '@herald/stack';

// The short chaos run: its own Kafka and PostgreSQL (the run stops and restarts them), so it
// never disturbs the test infrastructure the other suites share.
jest.setTimeout(10 * 60_000);

describe('chaos (short form)', () => {
  let result: ChaosResult;

  beforeAll(async () => {
    const options = shortChaosOptions({
      home: heraldHome('chaos-e2e'),
      ports: { kafka: await freePort(), kafkaController: await freePort(), postgres: await freePort() },
      seed: Math.floor(Math.random() * 2 ** 31),
      flapping: false,
      log: (line) => process.stdout.write(`[chaos] ${line}\n`),
    });
    result = await runChaos(options);
    process.stdout.write(`[chaos] result ${JSON.stringify({ ...result, faults: result.faults.length })}\n`);
  });

  it('injects crashes, a broker and a database restart and a rebalance under load', () => {
    const injected = result.faults.filter((f) => !f.skipped);
    expect(injected.map((f) => f.kind).sort()).toEqual(['kafka-restart', 'kill', 'postgres-restart', 'rebalance']);
    expect(injected.every((f) => f.ok)).toBe(true);
    expect(result.published).toBeGreaterThan(100);
  });

  it('loses nothing: every published event reached every matching webhook', () => {
    expect(result.lostSample).toEqual([]);
    expect(result.lost).toBe(0);
    expect(result.confirmed).toBe(result.expectedDeliveries);
    expect(result.misdelivered).toBe(0);
  });

  it('records every confirmed delivery in the audit log', () => {
    expect(result.audit.confirmedWithoutSuccessRecord).toBe(0);
    expect(result.audit.byOutcome.success ?? 0).toBeGreaterThanOrEqual(result.confirmed);
  });
});
