import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  HERALD_VERSION,
  deliveryIdFor,
  eventTypeMatches,
  heraldTopicSpecs,
  topicConfigEntries,
  ingestEventSchema,
  newId,
  resolveTopics,
  describeIssues,
} from './index';

describe('contracts', () => {
  it('matches exact, prefix-wildcard and catch-all event filters', () => {
    expect(eventTypeMatches('agent.created', 'agent.created')).toBe(true);
    expect(eventTypeMatches('agent.*', 'agent.deleted')).toBe(true);
    expect(eventTypeMatches('agent.*', 'agentx.deleted')).toBe(false);
    expect(eventTypeMatches('agent.*', 'context.created')).toBe(false);
    expect(eventTypeMatches('*', 'ANALYSIS_COMPLETE')).toBe(true);
    expect(eventTypeMatches('ANALYSIS_COMPLETE', 'ANALYSIS_FAILED')).toBe(false);
  });

  it('derives stable delivery ids and unique prefixed ids', () => {
    expect(deliveryIdFor('evt_1', 'wh_1')).toBe(deliveryIdFor('evt_1', 'wh_1'));
    expect(deliveryIdFor('evt_1', 'wh_1')).not.toBe(deliveryIdFor('evt_1', 'wh_2'));
    const a = newId('wh');
    const b = newId('wh');
    expect(a).toMatch(/^wh_[0-9a-f]{32}$/);
    expect(a).not.toBe(b);
  });

  it('prefixes topic names and marks the subscription topic compacted', () => {
    const specs = heraldTopicSpecs('prod.', 6);
    expect(specs.find((s) => s.name === 'prod.webhooks.subscriptions')?.compacted).toBe(true);
    expect(resolveTopics('x-').deliveries).toBe('x-webhooks.deliveries');
  });

  it('keeps idempotency keys compacted and for the window only', () => {
    const spec = heraldTopicSpecs('prod.', 6, 3600).find((s) => s.name === 'prod.webhooks.idempotency-keys')!;
    expect(topicConfigEntries(spec)).toEqual([
      { name: 'cleanup.policy', value: 'compact,delete' },
      { name: 'retention.ms', value: '3600000' },
    ]);
    expect(heraldTopicSpecs('', 1).find((s) => s.name === 'webhooks.idempotency-keys')?.retentionMs).toBe(86_400_000);
    const subscriptions = heraldTopicSpecs('', 1).find((s) => s.name === 'webhooks.subscriptions')!;
    expect(topicConfigEntries(subscriptions)).toEqual([{ name: 'cleanup.policy', value: 'compact' }]);
  });

  it('explains invalid ingest events by field', () => {
    const result = ingestEventSchema.safeParse({ eventType: 'a b', data: [] });
    expect(result.success).toBe(false);
    const text = describeIssues(result.error!);
    expect(text).toContain('eventType must be 1-128 characters');
    expect(text).toContain('tenantId is required');
    expect(text).toContain('data must be a JSON object');
  });
});

describe('HERALD_VERSION', () => {
  it('matches package.json', () => {
    const manifest = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8'));
    expect(manifest.version).toBe(HERALD_VERSION);
  });
});
