import { resolve } from 'node:path';
import type { Consumer, Producer } from 'kafkajs';
import { Client } from 'pg';
import { resolveTopics, type DeliveryTask, type EventEnvelope } from '@herald/contracts';
import { ServiceProcess, freePort, heraldHome } from '@herald/stack';
import { Receiver, eventually, testBrokers, testKafka, uniqueName } from '@herald/testing';
import { startSubscriptionApi, type SubscriptionApiHarness } from './testing/subscription-api-harness';

jest.setTimeout(300_000);

const WEBHOOKS = 1000;
const TENANT = 'filters';
const GOOD_FILTER = 'event.data.n >= 0.0 && event.metadata.source == "it"';
/** Type-checks (data is dynamic) but throws on every event: `missing` is never in the data. */
const THROWING_FILTER = 'event.data.missing.size() > 0';

describe('payload filters in the real matcher (Kafka, PostgreSQL, subscription-api)', () => {
  let api: SubscriptionApiHarness;
  let receiver: Receiver;
  let matcher: ServiceProcess;
  let producer: Producer;
  let consumer: Consumer;
  const tasks = new Map<string, Set<string>>();
  const ids: string[] = [];
  let badId = '';

  const create = (body: Record<string, unknown>) =>
    api.request('POST', '/v1/webhooks', { body, headers: { 'x-tenant-id': TENANT } });
  const hook = (filter: string | undefined) => ({ url: `${receiver.url}/h`, events: ['order.*'], filter });
  const event = (eventId: string, n: number): EventEnvelope => ({
    eventId,
    eventType: 'order.created',
    tenantId: TENANT,
    occurredAt: new Date().toISOString(),
    receivedAt: new Date().toISOString(),
    source: 'it',
    schemaVersion: 1,
    data: { n },
  });
  /** Publishes the events and returns how long until every one reached `expected` webhooks. */
  async function fanOut(prefix: string, count: number, n: number, expected: number): Promise<number> {
    const events = Array.from({ length: count }, (_, i) => event(`${prefix}_${i}`, n));
    const started = Date.now();
    await producer.send({
      topic: resolveTopics(api.prefix).events,
      messages: events.map((e) => ({ key: e.tenantId, value: JSON.stringify(e) })),
    });
    await eventually(
      async () => events.every((e) => (tasks.get(e.eventId)?.size ?? 0) >= expected),
      120_000,
      `${count} events fanned out to ${expected} webhooks each`,
    );
    return Date.now() - started;
  }
  const filterErrors = async () => {
    const text = await (await fetch(`${matcher.url}/metrics`)).text();
    return Number(/^herald_webhook_filter_errors_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    receiver = await new Receiver().start();
    api = await startSubscriptionApi({ WEBHOOKS_PER_TENANT_LIMIT: String(WEBHOOKS) });
    const bad = await create(hook(THROWING_FILTER));
    expect(bad.status).toBe(201);
    badId = bad.body.id;
    for (let i = 1; i < WEBHOOKS; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, WEBHOOKS - i) }, () => create(hook(GOOD_FILTER))),
      );
      for (const res of batch) {
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
    }
    matcher = new ServiceProcess({
      name: 'matcher',
      port: await freePort(),
      env: {
        KAFKA_BROKERS: testBrokers(),
        KAFKA_TOPIC_PREFIX: api.prefix,
        KAFKA_TOPIC_PARTITIONS: '3',
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: '2000',
      },
      logDir: resolve(heraldHome('test'), 'logs', api.prefix.slice(0, -1)),
    });
    await matcher.start();
    producer = testKafka().producer();
    await producer.connect();
    consumer = testKafka().consumer({ groupId: uniqueName('tasks-'), maxWaitTimeInMs: 50 });
    await consumer.connect();
    await consumer.subscribe({ topic: resolveTopics(api.prefix).deliveries, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const task = JSON.parse(message.value!.toString('utf8')) as DeliveryTask;
        const set = tasks.get(task.eventId) ?? new Set<string>();
        set.add(task.webhookId);
        tasks.set(task.eventId, set);
      },
    });
  }, 300_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await matcher?.stop();
    await api?.close();
    await receiver?.stop();
  });

  it('refuses an invalid filter at creation with a 400 naming the problem, and stores nothing', async () => {
    const res = await create(hook('event.data.n >'));
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/filter is not a valid CEL expression: Unexpected token/);
    const typo = await create(hook('event.dta.n > 1'));
    expect(typo.status).toBe(400);
    expect(typo.body.error.message).toMatch(/filter does not type-check: No such key: dta$/);
    const db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM webhooks WHERE tenant_id = $1', [TENANT]);
      expect(rows[0].n).toBe(WEBHOOKS);
    } finally {
      await db.end();
    }
  });

  it('one throwing filter among 1,000 webhooks skips only that webhook and delays no other', async () => {
    await fanOut('warm', 5, 1, WEBHOOKS - 1);
    const errorsBefore = await filterErrors();
    const withBadFilter = await fanOut('bad', 50, 1, WEBHOOKS - 1);
    for (let i = 0; i < 50; i++) {
      const got = tasks.get(`bad_${i}`)!;
      expect(got.size).toBe(WEBHOOKS - 1);
      expect(got.has(badId)).toBe(false);
    }
    expect((await filterErrors()) - errorsBefore).toBe(50);

    // Non-matching: no webhook's filter accepts a negative n; the throwing one is skipped again.
    await producer.send({
      topic: resolveTopics(api.prefix).events,
      messages: [{ key: TENANT, value: JSON.stringify(event('negative', -1)) }],
    });
    await eventually(async () => (await filterErrors()) - errorsBefore === 51, 60_000, 'the negative event matched');

    // The same load with the bad filter fixed: every webhook gets every event, at a comparable pace.
    const fixed = await api.request('PATCH', `/v1/webhooks/${badId}`, {
      body: { filter: GOOD_FILTER },
      headers: { 'x-tenant-id': TENANT },
    });
    expect(fixed.status).toBe(200);
    await fanOut('probe', 1, 1, WEBHOOKS);
    const withoutBadFilter = await fanOut('good', 50, 1, WEBHOOKS);
    expect(tasks.get('negative')).toBeUndefined();
    // Generous: both runs are the same work within one test; a blocked matcher would never finish.
    expect(withBadFilter).toBeLessThan(3 * withoutBadFilter + 5_000);
  });
});
