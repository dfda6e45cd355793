import type { DataSource } from 'typeorm';
import { EventEntity } from '../events/event.entity';
import type { EventQueries } from '../events/event-queries';
import { RedeliverEventUseCase } from './redeliver-event.usecase';
import type { ReplayDeliveries, ReplayTarget } from './replay-deliveries';

const principal = { tenantId: 'acme', scopes: ['admin'], keyId: 'key_1' };

function setUp(delivered: { webhook_id: string; original: string }[]) {
  const queries: unknown[][] = [];
  const dataSource = {
    query: async (_sql: string, params: unknown[]) => (queries.push(params), delivered),
  } as unknown as DataSource;
  const stored = Object.assign(new EventEntity(), {
    eventId: 'evt_1',
    tenantId: 'acme',
    eventType: 'order.created',
    data: {},
    occurredAt: new Date(),
    receivedAt: new Date(),
    source: 'http',
    schemaVersion: 1,
  });
  const events = { find: async () => stored } as unknown as EventQueries;
  const sent: { targets: ReplayTarget[]; trigger: string; by: string }[] = [];
  const replays = {
    send: async (targets: ReplayTarget[], trigger: string, by: string) => {
      sent.push({ targets, trigger, by });
      return targets.map((t, i) => ({ deliveryId: `dlv_${i}`, webhookId: t.webhookId, replayOf: t.replayOf, trigger }));
    },
  } as unknown as ReplayDeliveries;
  return { queries, sent, useCase: new RedeliverEventUseCase(dataSource, events, replays) };
}

describe('RedeliverEventUseCase', () => {
  it('resends to every webhook the event went to, each pointing at its original delivery', async () => {
    const { sent, useCase } = setUp([
      { webhook_id: 'wh_a', original: 'dlv_a' },
      { webhook_id: 'wh_b', original: 'dlv_b' },
    ]);
    const result = await useCase.execute({ principal, eventId: 'evt_1' });
    expect(result).toEqual({
      eventId: 'evt_1',
      deliveries: [
        { deliveryId: 'dlv_0', webhookId: 'wh_a', replayOf: 'dlv_a', trigger: 'redelivery' },
        { deliveryId: 'dlv_1', webhookId: 'wh_b', replayOf: 'dlv_b', trigger: 'redelivery' },
      ],
    });
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ trigger: 'redelivery', by: 'key_1' });
  });

  it('narrows to one webhook, and refuses when there is nothing to redeliver', async () => {
    const one = setUp([]);
    await expect(one.useCase.execute({ principal, eventId: 'evt_1', webhookId: 'wh_x' })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(one.queries[0]).toEqual(['acme', 'evt_1', 'wh_x']);
    await expect(one.useCase.execute({ principal, eventId: 'evt_1' })).rejects.toMatchObject({ code: 'conflict' });
    expect(one.sent).toEqual([]);
  });
});
