import { DeliveryAttempt } from '../attempts/delivery-attempt.entity';
import { eventStatus } from '../events/event-queries';
import { webhookStatsDeltas } from './webhook-stats-delta';

const attempt = (webhookId: string, outcome: string, at: string, error: string | null = null) =>
  Object.assign(new DeliveryAttempt(), { webhookId, tenantId: 't', outcome, startedAt: new Date(at), error });

describe('webhookStatsDeltas', () => {
  it('counts attempts and successes per webhook and keeps the latest outcome and error', () => {
    const deltas = webhookStatsDeltas([
      attempt('wh_b', 'success', '2026-01-01T00:00:02Z'),
      attempt('wh_a', 'http_error', '2026-01-01T00:00:01Z', 'HTTP 500'),
      attempt('wh_a', 'success', '2026-01-01T00:00:03Z'),
      attempt('wh_a', 'timeout', '2026-01-01T00:00:00Z', 'no complete response within 5000 ms'),
      attempt('wh_a', 'cancelled', '2026-01-01T00:00:09Z', 'not sent: webhook is INACTIVE'),
    ]);
    expect(deltas.map((d) => d.webhookId)).toEqual(['wh_a', 'wh_b']);
    expect(deltas[0]).toMatchObject({
      attempts: 3,
      successes: 1,
      lastOutcome: 'success',
      lastTriggeredAt: new Date('2026-01-01T00:00:03Z'),
      lastError: 'HTTP 500',
      lastErrorAt: new Date('2026-01-01T00:00:01Z'),
    });
    expect(deltas[1]).toMatchObject({ attempts: 1, successes: 1, lastError: null, lastErrorAt: null });
  });
});

describe('webhookStatsDeltas: concurrency limit', () => {
  it("keeps the latest attempt's adaptive limit; attempts without one leave it as it was", () => {
    const at = (when: string, concurrencyLimit: number | null) =>
      Object.assign(attempt('wh', 'success', when), { concurrencyLimit });
    const [delta] = webhookStatsDeltas([
      at('2026-01-01T00:00:01Z', 8),
      at('2026-01-01T00:00:03Z', 4),
      at('2026-01-01T00:00:02Z', 6),
      at('2026-01-01T00:00:04Z', null),
    ]);
    expect(delta.concurrencyLimit).toBe(4);
  });
});

describe('eventStatus', () => {
  it('is delivered only when every webhook got it, failed when one gave up', () => {
    expect(eventStatus([])).toBe('no_deliveries');
    expect(eventStatus(['delivered', 'delivered'])).toBe('delivered');
    expect(eventStatus(['delivered', 'retrying'])).toBe('retrying');
    expect(eventStatus(['retrying', 'failed', 'delivered'])).toBe('failed');
  });
});
