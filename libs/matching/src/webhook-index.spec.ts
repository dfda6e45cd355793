import {
  subscriptionSnapshotSchema,
  type SubscriptionSnapshot,
  type SubscriptionSnapshotInput,
} from '@herald/contracts';
import { WebhookIndex } from './webhook-index';

const snapshot = (id: string, over: Partial<SubscriptionSnapshotInput> = {}): SubscriptionSnapshot =>
  subscriptionSnapshotSchema.parse({
    webhookId: id,
    tenantId: 't1',
    version: 1,
    status: 'ACTIVE',
    url: 'https://example.com',
    events: ['agent.*'],
    secrets: [{ secret: 'whsec_x', expiresAt: null }],
    headers: {},
    updatedAt: new Date().toISOString(),
    ...over,
  });

describe('WebhookIndex', () => {
  it('matches active webhooks of the same tenant only', () => {
    const index = new WebhookIndex();
    index.apply('a', snapshot('a'));
    index.apply('b', snapshot('b', { status: 'INACTIVE' }));
    index.apply('c', snapshot('c', { tenantId: 't2' }));
    index.apply('d', snapshot('d', { events: ['context.created'] }));
    expect(index.match('t1', 'agent.created').map((w) => w.webhookId)).toEqual(['a']);
    expect(index.match('t2', 'agent.created').map((w) => w.webhookId)).toEqual(['c']);
    expect(index.match('t3', 'agent.created')).toEqual([]);
  });

  it('applies updates, tenant moves and tombstones', () => {
    const index = new WebhookIndex();
    index.apply('a', snapshot('a'));
    index.apply('a', snapshot('a', { tenantId: 't2' }));
    expect(index.match('t1', 'agent.created')).toEqual([]);
    expect(index.match('t2', 'agent.created')).toHaveLength(1);
    index.apply('a', null);
    expect(index.match('t2', 'agent.created')).toEqual([]);
    expect(index.size).toBe(0);
  });
});
