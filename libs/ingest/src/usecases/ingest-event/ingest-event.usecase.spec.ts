import type { IdempotencyKeyRecord } from '@herald/contracts';
import type { KafkaClient } from '@herald/kafka';
import { MetricsService } from '@herald/observability';
import type { EventTypeSchemas } from '../../event-type-schemas';
import type { IdempotencyKeyLog } from '../../idempotency-key-log';
import { IngestMetrics } from '../../ingest-metrics';
import { IngestEventUseCase } from './ingest-event.usecase';

function setUp(catalogProblem: string | null = null) {
  const sent: { topic: string; key: string; value: any }[] = [];
  const kafka = {
    topics: { events: 't.webhooks.events' },
    send: async (topic: string, messages: { key: string; value: unknown }[]) => {
      for (const m of messages) sent.push({ topic, key: m.key, value: m.value });
    },
  } as unknown as KafkaClient;
  const log = {
    start: async () => undefined,
    catchUp: async () => undefined,
    write: async (_k: string, _r: IdempotencyKeyRecord) => undefined,
  };
  const schemas = { start: async () => undefined, check: async () => catalogProblem } as unknown as EventTypeSchemas;
  const metrics = new MetricsService('test');
  const useCase = new IngestEventUseCase(
    kafka,
    { sourceTopics: [], maxEventBytes: 1 << 20 },
    new IngestMetrics(metrics),
    schemas,
    log as unknown as IdempotencyKeyLog,
  );
  const count = async (name: string) =>
    (await metrics.registry.getSingleMetric(name)!.get()).values.reduce((n, v) => n + v.value, 0);
  return { sent, useCase, count };
}

const event = (extra: Record<string, unknown> = {}) => ({
  eventType: 'order.created',
  tenantId: 'acme',
  data: { n: 1 },
  ...extra,
});

describe('IngestEventUseCase', () => {
  it('publishes a valid event keyed by tenant as its canonical envelope', async () => {
    const { sent, useCase, count } = setUp();
    const result = await useCase.execute({ raw: event(), via: 'http', source: 'http' });
    expect(result).toMatchObject({
      outcome: 'accepted',
      event: { eventType: 'order.created', tenantId: 'acme', source: 'http', schemaVersion: 1 },
    });
    expect(sent).toEqual([{ topic: 't.webhooks.events', key: 'acme', value: (result as { event: unknown }).event }]);
    expect(await count('herald_events_ingested_total')).toBe(1);
  });

  it('answers a repeat of an idempotency key with the first event, and other content with a conflict', async () => {
    const { sent, useCase, count } = setUp();
    const first = await useCase.execute({ raw: event({ idempotencyKey: 'k' }), via: 'kafka', source: 'kafka:src' });
    const repeat = await useCase.execute({ raw: event({ idempotencyKey: 'k' }), via: 'kafka', source: 'kafka:src' });
    expect(repeat).toMatchObject({
      outcome: 'duplicate',
      first: { eventId: (first as { event: { eventId: string } }).event.eventId },
    });
    const other = await useCase.execute({
      raw: event({ idempotencyKey: 'k', data: { n: 2 } }),
      via: 'kafka',
      source: 'kafka:src',
    });
    expect(other).toMatchObject({
      outcome: 'conflict',
      reason: expect.stringContaining('idempotencyKey was already used'),
    });
    expect(sent).toHaveLength(1);
    expect(await count('herald_events_duplicates_total')).toBe(1);
    expect(await count('herald_events_rejected_total')).toBe(1);
  });

  it('returns invalid with the reason for a bad envelope or a catalog refusal, publishing nothing', async () => {
    const bad = setUp();
    expect(await bad.useCase.execute({ raw: { eventType: 'x' }, via: 'http', source: 'http' })).toMatchObject({
      outcome: 'invalid',
      reason: expect.stringContaining('tenantId'),
    });
    const refused = setUp('eventType "order.created" is not in the catalog');
    expect(await refused.useCase.execute({ raw: event(), via: 'http', source: 'http' })).toEqual({
      outcome: 'invalid',
      reason: 'eventType "order.created" is not in the catalog',
    });
    expect([...bad.sent, ...refused.sent]).toEqual([]);
  });

  it('carries an orderingKey onto the envelope and refuses a bad one by name, publishing nothing', async () => {
    const { sent, useCase } = setUp();
    const ok = await useCase.execute({ raw: event({ orderingKey: 'order-42' }), via: 'http', source: 'http' });
    expect(ok).toMatchObject({ outcome: 'accepted', event: { orderingKey: 'order-42' } });
    for (const [orderingKey, reason] of [
      ['', 'orderingKey must not be empty'],
      ['x'.repeat(257), 'orderingKey must be at most 256 characters'],
      [42, 'orderingKey must be a string'],
      ['a\nb', 'orderingKey must not contain control characters'],
    ] as const) {
      expect(await useCase.execute({ raw: event({ orderingKey }), via: 'http', source: 'http' })).toMatchObject({
        outcome: 'invalid',
        reason: expect.stringContaining(reason),
      });
    }
    expect(sent).toHaveLength(1);
  });

  it("fills a tenant key's tenant and refuses another tenant's event with 403", async () => {
    const { useCase } = setUp();
    const principal = { tenantId: 'acme', scopes: ['admin'], keyId: 'key_1' };
    const { tenantId: _omitted, ...withoutTenant } = event();
    expect(await useCase.execute({ raw: withoutTenant, via: 'http', source: 'http', principal })).toMatchObject({
      outcome: 'accepted',
      event: { tenantId: 'acme' },
    });
    await expect(
      useCase.execute({ raw: event({ tenantId: 'globex' }), via: 'http', source: 'http', principal }),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });
});
