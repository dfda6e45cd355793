import {
  webhookSnapshotSchema,
  type EventEnvelope,
  type WebhookSnapshot,
  type WebhookSnapshotInput,
} from '@herald/contracts';
import { MetricsService } from '@herald/observability';
import { WebhookFilterRunner } from './webhook-filter';
import { WebhookIndex } from './webhook-index';

const snapshot = (id: string, over: Partial<WebhookSnapshotInput> = {}): WebhookSnapshot =>
  webhookSnapshotSchema.parse({
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

const event = (tenantId: string, eventType: string, data: Record<string, unknown> = {}): EventEnvelope => ({
  eventId: 'evt_1',
  eventType,
  tenantId,
  occurredAt: '2026-12-01T00:00:00.000Z',
  receivedAt: '2026-12-01T00:00:00.000Z',
  source: 'http',
  schemaVersion: 1,
  data,
});

function setUp() {
  const metrics = new MetricsService('test');
  const warnings: unknown[][] = [];
  const logger = { warn: (...args: unknown[]) => warnings.push(args) } as never;
  return { metrics, warnings, index: new WebhookIndex(new WebhookFilterRunner(metrics, logger)) };
}
const ids = (webhooks: WebhookSnapshot[]) => webhooks.map((w) => w.webhookId).sort();

describe('WebhookIndex', () => {
  it('matches active webhooks of the same tenant only', () => {
    const { index } = setUp();
    index.apply('a', snapshot('a'));
    index.apply('b', snapshot('b', { status: 'INACTIVE' }));
    index.apply('c', snapshot('c', { tenantId: 't2' }));
    index.apply('d', snapshot('d', { events: ['context.created'] }));
    expect(ids(index.match(event('t1', 'agent.created')))).toEqual(['a']);
    expect(ids(index.match(event('t2', 'agent.created')))).toEqual(['c']);
    expect(index.match(event('t3', 'agent.created'))).toEqual([]);
  });

  it('applies updates, tenant moves and tombstones', () => {
    const { index } = setUp();
    index.apply('a', snapshot('a'));
    index.apply('a', snapshot('a', { tenantId: 't2' }));
    expect(index.match(event('t1', 'agent.created'))).toEqual([]);
    expect(index.match(event('t2', 'agent.created'))).toHaveLength(1);
    index.apply('a', null);
    expect(index.match(event('t2', 'agent.created'))).toEqual([]);
    expect(index.size).toBe(0);
  });

  it("keeps a webhook only when its payload filter accepts the event, and follows the filter's updates", () => {
    const { index } = setUp();
    index.apply('big', snapshot('big', { filter: 'event.data.amount >= 100.0' }));
    index.apply('all', snapshot('all'));
    expect(ids(index.match(event('t1', 'agent.created', { amount: 150 })))).toEqual(['all', 'big']);
    expect(ids(index.match(event('t1', 'agent.created', { amount: 5 })))).toEqual(['all']);
    index.apply('big', snapshot('big', { filter: null }));
    expect(ids(index.match(event('t1', 'agent.created', { amount: 5 })))).toEqual(['all', 'big']);
  });

  it('skips only the webhook whose filter throws, counting it and logging its id without the event', async () => {
    const { index, metrics, warnings } = setUp();
    index.apply('bad', snapshot('bad', { filter: 'event.data.secret.size() > 3' }));
    index.apply('uncompilable', snapshot('uncompilable', { filter: 'event.data ==' }));
    for (let i = 0; i < 100; i++)
      index.apply(`ok${i}`, snapshot(`ok${i}`, { filter: 'event.type == "agent.created"' }));
    const secretless = event('t1', 'agent.created', { password: 'hunter2-top-secret' });
    expect(index.match(secretless)).toHaveLength(100);
    expect(index.match(secretless)).toHaveLength(100);
    expect(await metrics.registry.getSingleMetricAsString('herald_webhook_filter_errors_total')).toMatch(/ 4$/m);
    // One line per failing webhook per minute, naming it and the error code only.
    expect(warnings.map(([fields]) => fields)).toEqual([
      { webhookId: 'bad', code: 'no_such_key' },
      { webhookId: 'uncompilable', code: 'Error' },
    ]);
    expect(JSON.stringify(warnings)).not.toContain('hunter2');
  });
});
