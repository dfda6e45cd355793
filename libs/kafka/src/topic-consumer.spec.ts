import { TopicContracts } from '@herald/contracts';
import type { ConsumedMessage } from './consumer-loop';
import { readRecord } from './topic-consumer';

const message = (value: string | null): ConsumedMessage => ({
  topic: 't.webhooks.disable-requests',
  partition: 0,
  offset: '7',
  key: 'wh_1',
  value: value === null ? null : Buffer.from(value),
  headers: {},
  timestamp: '0',
});

describe('readRecord', () => {
  const contract = TopicContracts.disableRequests;
  const request = {
    requestId: 'r1',
    tenantId: 't1',
    webhookId: 'wh_1',
    version: 3,
    reason: 'gone',
    requestedAt: new Date(0).toISOString(),
  };

  it('gives the typed value of a valid record', () => {
    expect(readRecord(contract, message(JSON.stringify(request)))).toEqual({ ok: true, value: request });
  });

  it('names why a record cannot be read: not JSON, or not what the contract describes', () => {
    expect(readRecord(contract, message('{oops'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^value is not valid JSON: /),
    });
    expect(readRecord(contract, message(null))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^value is not valid JSON/),
    });
    expect(readRecord(contract, message(JSON.stringify({ ...request, version: 'three' })))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^not a valid disable request: .*version/),
    });
  });

  it('sends unreadable notifications and disable requests to their own dead-letter topic, not the deliveries one', () => {
    expect(TopicContracts.disableRequests.deadLetter).toBe('deliveryHealthDlq');
    expect(TopicContracts.notifications.deadLetter).toBe('deliveryHealthDlq');
  });
});
