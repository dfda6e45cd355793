import type { z } from 'zod';
import type { EventEnvelope, WebhookSnapshot, TopicContract } from '@herald/contracts';
import type { KafkaClient } from '@herald/kafka';
import { MetricsService } from '@herald/observability';
import { FanOutEventUseCase } from './fan-out-event.usecase';
import { WebhookFilterRunner } from './webhook-filter';

const event: EventEnvelope = {
  eventId: 'evt_1',
  eventType: 'order.created',
  tenantId: 'acme',
  occurredAt: '2026-12-01T00:00:00.000Z',
  receivedAt: '2026-12-01T00:00:00.000Z',
  source: 'http',
  schemaVersion: 1,
  data: {},
};
const webhook = (webhookId: string, events: string[], status = 'ACTIVE') =>
  ({ webhookId, tenantId: 'acme', events, status }) as unknown as WebhookSnapshot;

function setUp() {
  const sent: { topic: string; key: string; value: any; headers?: unknown }[] = [];
  const broker = { failures: 0 };
  const kafka = {
    publish: async (contract: TopicContract<z.ZodType>, values: unknown[], headers?: unknown) => {
      if (broker.failures > 0 && broker.failures--) throw new Error('broker unavailable');
      for (const value of values)
        sent.push({ topic: `t.webhooks.${contract.topic}`, key: contract.key(value), value, headers });
    },
  } as unknown as KafkaClient;
  const metrics = new MetricsService('test');
  return { sent, broker, useCase: new FanOutEventUseCase(kafka, metrics, new WebhookFilterRunner(metrics)) };
}

describe('FanOutEventUseCase', () => {
  it('publishes one first-attempt task per matching active webhook, keyed by webhook, with the trace headers', async () => {
    const { sent, useCase } = setUp();
    useCase.index.apply('wh_a', webhook('wh_a', ['order.*']));
    useCase.index.apply('wh_b', webhook('wh_b', ['invoice.paid']));
    useCase.index.apply('wh_c', webhook('wh_c', ['*'], 'INACTIVE'));
    const headers = { traceparent: '00-abc-def-01' };
    const { tasks } = await useCase.execute({ event, headers });
    expect(tasks.map((t) => t.webhookId)).toEqual(['wh_a']);
    expect(tasks[0]).toMatchObject({
      eventId: 'evt_1',
      tenantId: 'acme',
      attempt: 1,
      trigger: 'event',
      replayOf: null,
      event,
    });
    expect(sent).toEqual([{ topic: 't.webhooks.deliveries', key: 'wh_a', value: tasks[0], headers }]);
  });

  it('publishes nothing for an event no webhook matches', async () => {
    const { sent, useCase } = setUp();
    expect(await useCase.execute({ event })).toEqual({ tasks: [] });
    expect(sent).toEqual([]);
  });
});

describe('FanOutEventUseCase with a repeated event id', () => {
  it('fans an id out once, even when both envelopes arrive at once', async () => {
    const { sent, useCase } = setUp();
    useCase.index.apply('wh_a', webhook('wh_a', ['order.*']));
    const [first, second] = await Promise.all([useCase.execute({ event }), useCase.execute({ event: { ...event } })]);
    expect(first.tasks).toHaveLength(1);
    expect(second).toEqual({ tasks: [], repeated: true });
    expect(await useCase.execute({ event })).toEqual({ tasks: [], repeated: true });
    expect(sent).toHaveLength(1);
    expect(await useCase.execute({ event: { ...event, eventId: 'evt_2' } })).toMatchObject({
      tasks: [{ eventId: 'evt_2' }],
    });
  });

  it('fans out again after a failed publish, so the retry is not lost', async () => {
    const { sent, broker, useCase } = setUp();
    useCase.index.apply('wh_a', webhook('wh_a', ['order.*']));
    broker.failures = 1;
    await expect(useCase.execute({ event })).rejects.toThrow('broker unavailable');
    expect((await useCase.execute({ event })).tasks).toHaveLength(1);
    expect(sent).toHaveLength(1);
  });
});
