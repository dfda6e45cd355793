import type { FaultRecord } from './fault-plan';
import { attributeToFaults, quantile, summarize } from './fault-windows';
import { CounterTotal, metricSum } from './instance-share';

const fault = (atS: number, durationS: number, extra: Partial<FaultRecord> = {}): FaultRecord => ({
  kind: 'kill',
  target: 'deliverer',
  atS,
  durationS,
  ok: true,
  ...extra,
});

describe('quantile and summarize', () => {
  it('takes the nearest rank and says null for no samples', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.99)).toBe(4);
    expect(summarize([30, 10, 20])).toEqual({ deliveries: 3, p50: 20, p99: 30 });
  });
});

describe('attributeToFaults', () => {
  const t0 = 1_000_000;
  it('gives each duplicate to the latest fault started before it, and the rest to before the first', () => {
    const faults = [fault(10, 5), fault(30, 5), fault(20, 0, { kind: 'flapping' }), fault(50, 0, { skipped: true })];
    const at = (s: number) => t0 + s * 1000;
    const duplicates = [at(5), at(12), at(29), at(31), at(90), at(200)];
    const attributed = attributeToFaults(faults, t0, [], duplicates, 10_000, [at(11)], at(150));
    expect(attributed).toEqual({ beforeFirstFault: 1, lostBeforeFirstFault: 0, duringDrain: 1 });
    expect(faults[0].lost).toBe(1);
    expect(faults[1].lost).toBe(0);
    expect(faults[0].duplicates).toBe(2);
    expect(faults[1].duplicates).toBe(2);
    // Flapping runs alongside the others and a skipped fault never happened: neither takes duplicates.
    expect(faults[2].duplicates).toBeUndefined();
    expect(faults[3].duplicates).toBeUndefined();
  });

  it('splits latency by when the event was sent: before, during and after the fault', () => {
    const faults = [fault(100, 20)];
    const sample = (s: number, latencyMs: number) => ({ sentAt: t0 + s * 1000, latencyMs });
    const samples = [
      sample(50, 999),
      sample(95, 10),
      sample(99, 12),
      sample(105, 5000),
      sample(121, 40),
      sample(200, 7),
    ];
    attributeToFaults(faults, t0, samples, [], 10_000);
    expect(faults[0].latencyMs).toEqual({
      before: { deliveries: 2, p50: 10, p99: 12 },
      during: { deliveries: 1, p50: 5000, p99: 5000 },
      after: { deliveries: 1, p50: 40, p99: 40 },
    });
  });
});

describe('metricSum and CounterTotal', () => {
  const page = [
    '# HELP herald_delivery_attempts_total Attempts',
    '# TYPE herald_delivery_attempts_total counter',
    'herald_delivery_attempts_total{outcome="success"} 120',
    'herald_delivery_attempts_total{outcome="failure"} 3',
    'herald_delivery_attempts_total_other 1000',
    'process_cpu_seconds_total 4.5',
  ].join('\n');

  it('sums every label set of one family and nothing else', () => {
    expect(metricSum(page, 'herald_delivery_attempts_total')).toBe(123);
    expect(metricSum(page, 'process_cpu_seconds_total')).toBe(4.5);
    expect(metricSum(page, 'herald_missing_total')).toBeNull();
  });

  it('adds the increases it sees and counts a drop as a restart from zero', () => {
    const total = new CounterTotal();
    total.observe(10);
    total.observe(25);
    total.observe(5); // restarted, 5 since
    total.observe(8);
    expect(total.total).toBe(10 + 15 + 5 + 3);
    total.restarted();
    total.observe(30);
    expect(total.total).toBe(33 + 30);
  });
});
