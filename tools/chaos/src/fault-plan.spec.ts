import { SERVICE_NAMES } from '@herald/stack';
import { clusterChaosOptions } from './chaos-options';
import { planFaults, seededRandom, type FaultPlanOptions } from './fault-plan';
import { DeliveryLedger } from './ledger-receiver';

const base: FaultPlanOptions = {
  killEachService: true,
  killCount: 0,
  pairKills: 2,
  kafkaRestarts: 1,
  postgresRestarts: 1,
  rebalances: 1,
  flapping: true,
  downMs: [1000, 2000],
  rebalanceStayMs: 5000,
  flappingMs: 10000,
};

describe('planFaults', () => {
  it('kills every service once, then pairs of two different services, and restarts both stores', () => {
    const plan = planFaults(base, seededRandom(7));
    const singles = plan
      .filter((f) => f.kind === 'kill' && f.services.length === 1)
      .map((f) => (f.kind === 'kill' ? f.services[0] : ''));
    expect(singles.sort()).toEqual([...SERVICE_NAMES].sort());
    const pairs = plan.filter((f) => f.kind === 'kill' && f.services.length === 2);
    expect(pairs).toHaveLength(2);
    for (const pair of pairs) if (pair.kind === 'kill') expect(new Set(pair.services).size).toBe(2);
    expect(plan.map((f) => f.kind)).toEqual(expect.arrayContaining(['kafka-restart', 'postgres-restart', 'rebalance']));
    for (const f of plan) if ('downMs' in f) expect(f.downMs).toBeGreaterThanOrEqual(1000);
  });

  it('puts the background flapping fault first and only when asked', () => {
    expect(planFaults(base, seededRandom(1))[0].kind).toBe('flapping');
    expect(planFaults({ ...base, flapping: false }, seededRandom(1)).some((f) => f.kind === 'flapping')).toBe(false);
  });

  it('repeats the same plan from the same seed', () => {
    expect(planFaults(base, seededRandom(42))).toEqual(planFaults(base, seededRandom(42)));
    expect(planFaults(base, seededRandom(42))).not.toEqual(planFaults(base, seededRandom(43)));
  });
});

describe('planFaults for a cluster', () => {
  it('adds the busiest-leader and controller kills, a rolling restart and a pause, and no single-broker restart', () => {
    const options = clusterChaosOptions({
      home: '/tmp/x',
      ports: { kafka: 1, kafkaController: 2, postgres: 3 },
      seed: 1,
      log: () => undefined,
      eventsPerSecond: 200,
      flapping: true,
      brokers: 3,
      replicas: 2,
    });
    const kinds = planFaults(options.plan, seededRandom(3)).map((f) => f.kind);
    for (const kind of ['broker-kill-leader', 'controller-kill', 'rolling-restart', 'broker-pause'] as const)
      expect(kinds.filter((k) => k === kind)).toHaveLength(1);
    expect(kinds).not.toContain('kafka-restart');
    expect(kinds.filter((k) => k === 'kill')).toHaveLength(SERVICE_NAMES.length);
    expect(options).toMatchObject({ brokers: 3, replicas: 2, tenants: 4 });
  });
});

describe('DeliveryLedger', () => {
  it('counts answers beyond the first per (event, webhook) as duplicates', () => {
    const ledger = new DeliveryLedger();
    ledger.confirm('e1', 'w1');
    ledger.confirm('e1', 'w1');
    ledger.confirm('e1', 'w2');
    ledger.confirm('e2', 'w1');
    expect(ledger.duplicates).toBe(1);
    expect(ledger.duplicateAt).toHaveLength(1);
    expect(ledger.firstAt.has('e1 w1')).toBe(true);
    expect(ledger.has('e1', 'w2')).toBe(true);
    expect(ledger.has('e2', 'w2')).toBe(false);
  });
});
