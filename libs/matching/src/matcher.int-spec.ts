import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Consumer, Producer } from 'kafkajs';
import { resolveTopics, type DeliveryTask, type EventEnvelope, type WebhookSnapshotInput } from '@herald/contracts';
import { ServiceProcess, freePort, heraldHome, repoRoot } from '@herald/stack';
import { eventually, testBrokers, testKafka, uniqueName } from '@herald/testing';

jest.setTimeout(180_000);

const TENANT = 'views';

describe('the matcher checks its webhook view after matching (real Kafka, the built matcher)', () => {
  const prefix = `${uniqueName('mv')}.`;
  const topics = resolveTopics(prefix);
  const requestDir = mkdtempSync(join(tmpdir(), 'matcher-requests-'));
  let matcher: ServiceProcess;
  let producer: Producer;
  let consumer: Consumer;
  const tasks = new Map<string, string[]>();

  const snapshot = (webhookId: string): WebhookSnapshotInput => ({
    webhookId,
    tenantId: TENANT,
    version: 1,
    status: 'ACTIVE',
    url: 'https://example.com/hook',
    events: ['order.*'],
    secrets: [{ secret: 'whsec_test', expiresAt: null }],
    updatedAt: new Date().toISOString(),
  });
  const event = (eventId: string): EventEnvelope => {
    const now = new Date().toISOString();
    return {
      eventId,
      eventType: 'order.created',
      tenantId: TENANT,
      occurredAt: now,
      receivedAt: now,
      source: 'it',
      schemaVersion: 1,
      data: {},
    };
  };
  const send = (topic: string, key: string, value: unknown) =>
    producer.send({ topic, acks: -1, messages: [{ key, value: JSON.stringify(value) }] });
  /** The matcher's ListOffsets so far, as tools/kafka/request-count-hook.js wrote them. */
  const listOffsets = () =>
    readdirSync(requestDir)
      .filter((file) => file.startsWith('matcher-'))
      .reduce((n, file) => n + (JSON.parse(readFileSync(join(requestDir, file), 'utf8')).total.ListOffsets ?? 0), 0);

  beforeAll(async () => {
    matcher = new ServiceProcess({
      name: 'matcher',
      port: await freePort(),
      env: {
        KAFKA_BROKERS: testBrokers(),
        KAFKA_TOPIC_PREFIX: prefix,
        KAFKA_TOPIC_PARTITIONS: '3',
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: '2000',
        NODE_OPTIONS: `--require ${resolve(repoRoot, 'tools/kafka/request-count-hook.js')}`,
        HERALD_KAFKA_REQUEST_DIR: requestDir,
        HERALD_KAFKA_REQUEST_INTERVAL_MS: '200',
      },
      logDir: resolve(heraldHome('test'), 'logs', prefix.slice(0, -1)),
    });
    await matcher.start();
    producer = testKafka().producer({ allowAutoTopicCreation: false });
    await producer.connect();
    consumer = testKafka().consumer({ groupId: uniqueName('tasks-'), maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topic: topics.deliveries, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const task = JSON.parse(message.value!.toString('utf8')) as DeliveryTask;
        tasks.set(task.eventId, [...(tasks.get(task.eventId) ?? []), task.webhookId]);
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await producer?.disconnect();
    await matcher?.stop();
  });

  it('an event published right after a webhook snapshot reaches that webhook, once', async () => {
    const webhooks: string[] = [];
    for (let i = 0; i < 25; i++) {
      const webhookId = `wh_${i}`;
      await send(topics.subscriptions, webhookId, snapshot(webhookId));
      webhooks.push(webhookId);
      await send(topics.events, TENANT, event(`new_${i}`));
    }
    await eventually(
      async () => webhooks.every((_, i) => (tasks.get(`new_${i}`)?.length ?? 0) >= i + 1),
      60_000,
      'every event fanned out to every webhook written before it',
    );
    // None twice, and a webhook written once the events' checks are over gets none of them. One written
    // within an event's check (up to ~0.5 s) may get it: the late look sees the view as it is then.
    await new Promise((r) => setTimeout(r, 1500));
    await send(topics.subscriptions, 'wh_late', snapshot('wh_late'));
    await send(topics.events, TENANT, event('after_late'));
    await eventually(async () => tasks.get('after_late')?.includes('wh_late') ?? false, 60_000, 'wh_late matched');
    await new Promise((r) => setTimeout(r, 1000));
    for (let i = 0; i < 25; i++) {
      const got = tasks.get(`new_${i}`)!;
      expect(new Set(got).size).toBe(got.length);
      expect(got).toEqual(expect.arrayContaining(webhooks.slice(0, i + 1)));
      expect(got).not.toContain('wh_late');
    }
  });

  it('while the view stays put, one watermark request covers many events', async () => {
    await eventually(async () => listOffsets() > 0, 30_000, 'the request counts written');
    await new Promise((r) => setTimeout(r, 1000));
    const before = listOffsets();
    const count = 60;
    for (let i = 0; i < count; i++) {
      await send(topics.events, TENANT, event(`steady_${i}`));
      await new Promise((r) => setTimeout(r, 20));
    }
    await eventually(
      async () => Array.from({ length: count }, (_, i) => `steady_${i}`).every((id) => tasks.has(id)),
      60_000,
      'every steady event fanned out',
    );
    await new Promise((r) => setTimeout(r, 1500));
    // One per event before the change; now one per ~500 ms of events (about 3 here), busy machine allowing.
    expect(listOffsets() - before).toBeLessThan(count / 4);
  });
});
