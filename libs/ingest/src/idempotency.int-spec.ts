import { eventIdForIdempotencyKey, type DeadLetter, type EventEnvelope } from '@herald/contracts';
import { ConfigResourceTypes } from 'kafkajs';
import { eventually, produceRaw, readTopic, testKafka, uniqueName } from '@herald/testing';
import { IngestHarness } from './testing/ingest-harness';

jest.setTimeout(90_000);

/** Long enough for a stray second envelope to have arrived: the topic is read to its end or this long. */
const SETTLE_MS = 3000;

describe('idempotency keys at event-ingest (real Kafka)', () => {
  const prefix = `${uniqueName('idem')}.`;
  const topics = {
    ingest: `${prefix}webhooks.ingest`,
    events: `${prefix}webhooks.events`,
    dlq: `${prefix}webhooks.events.dlq`,
  };
  let ingest: IngestHarness;
  const envelopesOf = async (eventId: string) =>
    (await readTopic(topics.events, Number.MAX_SAFE_INTEGER, SETTLE_MS))
      .map((m) => JSON.parse(m.value ?? '{}') as EventEnvelope)
      .filter((e) => e.eventId === eventId);
  const order = (key: string, amount: number) => ({
    eventType: 'order.paid',
    tenantId: 'acme',
    idempotencyKey: key,
    data: { amount },
  });

  beforeAll(async () => {
    ingest = await IngestHarness.start(prefix, { idempotencyWindowSeconds: 3600 });
  });

  afterAll(async () => {
    await ingest?.close();
  });

  it('keeps the keys on a compacted topic whose retention is the window', async () => {
    const admin = testKafka().admin();
    await admin.connect();
    const describe = async () => {
      const described = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          {
            type: ConfigResourceTypes.TOPIC,
            name: `${prefix}webhooks.idempotency-keys`,
            configNames: ['cleanup.policy', 'retention.ms'],
          },
        ],
      });
      return Object.fromEntries(described.resources[0].configEntries.map((e) => [e.configName, e.configValue]));
    };
    const window = { 'cleanup.policy': 'compact,delete', 'retention.ms': String(3600 * 1000) };
    try {
      // A broker applies an alterConfigs from its metadata log: a describe right after may still
      // show the creation-time value (a fresh-clone CI run read 86400000).
      await eventually(async () => JSON.stringify(await describe()) === JSON.stringify(window), 15_000, 'window');
      expect(await describe()).toEqual(window);
    } finally {
      await admin.disconnect();
    }
  });

  it('answers an HTTP repeat with the first eventId as a duplicate, refuses different content with a 409, and publishes one envelope', async () => {
    const eventId = eventIdForIdempotencyKey('acme', 'order-1');
    const first = await ingest.post(order('order-1', 5));
    expect(first).toMatchObject({ status: 202, body: { eventId } });
    expect(first.headers.get('idempotent-replayed')).toBeNull();

    const repeat = await ingest.post(order('order-1', 5));
    expect(repeat).toMatchObject({
      status: 200,
      body: { eventId, duplicate: true, receivedAt: first.body.receivedAt },
    });
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');

    const reused = await ingest.post(order('order-1', 6));
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe('idempotency_key_reused');
    expect(reused.body.error.message).toMatch(
      /^idempotencyKey was already used within the last 3600 s for an event with different content/,
    );
    expect(JSON.stringify(reused.body)).not.toContain('amount');

    const envelopes = await envelopesOf(eventId);
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0]).toMatchObject({ idempotencyKey: 'order-1', data: { amount: 5 } });
    expect(await ingest.counter('herald_events_duplicates_total', { via: 'http' })).toBe(1);
  });

  it('skips and counts a repeat on the source topic, and dead-letters one with different content with the reason', async () => {
    const eventId = eventIdForIdempotencyKey('acme', 'order-2');
    await produceRaw(topics.ingest, [{ key: 'acme', value: order('order-2', 7) }]);
    await eventually(async () => (await envelopesOf(eventId)).length > 0, 30_000, 'the first envelope');
    await produceRaw(topics.ingest, [
      { key: 'acme', value: order('order-2', 7) },
      { key: 'acme', value: order('order-2', 8) },
      // The HTTP key of the test before, now on the topic: one window for both ways in.
      { key: 'acme', value: order('order-1', 5) },
    ]);
    await eventually(
      async () => (await ingest.counter('herald_events_duplicates_total', { via: 'kafka' })) === 2,
      30_000,
      'two duplicates counted',
    );
    const letters = (await readTopic(topics.dlq, 1, 30_000)).map((m) => JSON.parse(m.value ?? '{}') as DeadLetter);
    expect(letters).toHaveLength(1);
    expect(letters[0].reason).toMatch(
      /^idempotencyKey was already used within the last 3600 s for an event with different content/,
    );
    expect(JSON.parse(letters[0].value ?? '{}')).toMatchObject({ data: { amount: 8 } });

    const envelopes = await envelopesOf(eventId);
    expect(envelopes).toHaveLength(1);
    expect(envelopes[0].data).toEqual({ amount: 7 });
    expect(await envelopesOf(eventIdForIdempotencyKey('acme', 'order-1'))).toHaveLength(1);
  });

  it('single-flights concurrent HTTP requests with one key: one 202, the rest duplicates', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, () => ingest.post(order('order-3', 1))));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => a.body.eventId))).toEqual(new Set([eventIdForIdempotencyKey('acme', 'order-3')]));
    expect(await envelopesOf(eventIdForIdempotencyKey('acme', 'order-3'))).toHaveLength(1);
  });

  it('a new instance started after the first stopped loads the keys from Kafka and still deduplicates', async () => {
    await ingest.close();
    ingest = await IngestHarness.start(prefix, { idempotencyWindowSeconds: 3600 });
    const repeat = await ingest.post(order('order-1', 5));
    expect(repeat).toMatchObject({
      status: 200,
      body: { eventId: eventIdForIdempotencyKey('acme', 'order-1'), duplicate: true },
    });
    expect((await ingest.post(order('order-2', 9))).status).toBe(409);
    await produceRaw(topics.ingest, [{ key: 'acme', value: order('order-3', 1) }]);
    await eventually(
      async () => (await ingest.counter('herald_events_duplicates_total', { via: 'kafka' })) === 1,
      30_000,
      'the topic repeat counted',
    );
    for (const key of ['order-1', 'order-2', 'order-3'])
      expect(await envelopesOf(eventIdForIdempotencyKey('acme', key))).toHaveLength(1);
    // A new key is still published, with its derived id.
    expect(await ingest.post(order('order-4', 1))).toMatchObject({
      status: 202,
      body: { eventId: eventIdForIdempotencyKey('acme', 'order-4') },
    });
  });
});
