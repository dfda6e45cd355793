import { resolve } from 'node:path';
import type { Consumer, Producer } from 'kafkajs';
import {
  deliveryIdFor,
  heraldTopicSpecs,
  topicConfigEntries,
  newId,
  resolveTopics,
  webhookSnapshotSchema,
  type AttemptRecord,
  type DeadLetteredDelivery,
  type DeliveryTask,
  type DisableWebhookRequest,
  type Notification,
  type WebhookSnapshot,
  type WebhookSnapshotInput,
  type TopicNames,
} from '@herald/contracts';
import { generateSecret } from '@herald/signing';
import { ServiceProcess, freePort, heraldHome } from '@herald/stack';
import { eventually, testBrokers, testKafka, uniqueName } from '@herald/testing';

/**
 * The real deliverer process (from the build) under its own topic prefix, fed through the topics
 * as subscription-api and the matcher feed it; everything it produces is collected.
 */
export class DelivererHarness {
  readonly attempts: AttemptRecord[] = [];
  readonly deadLetters: DeadLetteredDelivery[] = [];
  readonly notifications: Notification[] = [];
  readonly disableRequests: DisableWebhookRequest[] = [];
  readonly topics: TopicNames;
  deliverer!: ServiceProcess;
  private producer!: Producer;
  private consumer!: Consumer;
  private readonly versions = new Map<string, number>();

  private constructor(
    readonly prefix: string,
    private readonly env: Record<string, string>,
  ) {
    this.topics = resolveTopics(prefix);
  }

  static async start(env: Record<string, string>): Promise<DelivererHarness> {
    const harness = new DelivererHarness(`${uniqueName('dlv')}.`, env);
    await harness.createTopics();
    await harness.startDeliverer();
    harness.producer = testKafka().producer();
    await harness.producer.connect();
    harness.consumer = testKafka().consumer({ groupId: uniqueName('collector-'), maxWaitTimeInMs: 50 });
    await harness.consumer.connect();
    const t = harness.topics;
    await harness.consumer.subscribe({
      topics: [t.attempts, t.deadLetters, t.notifications, t.disableRequests],
      fromBeginning: true,
    });
    const sinks: Record<string, unknown[]> = {
      [t.attempts]: harness.attempts,
      [t.deadLetters]: harness.deadLetters,
      [t.notifications]: harness.notifications,
      [t.disableRequests]: harness.disableRequests,
    };
    await harness.consumer.run({
      eachMessage: async ({ topic, message }) => {
        sinks[topic].push(JSON.parse(message.value!.toString('utf8')));
      },
    });
    return harness;
  }

  /**
   * Creates the topics and waits until every partition has a leader, as subscription-api does
   * before the other services start (test files run side by side on one broker).
   */
  private async createTopics(): Promise<void> {
    const admin = testKafka().admin();
    await admin.connect();
    try {
      const specs = heraldTopicSpecs(this.prefix, 3);
      await admin.createTopics({
        waitForLeaders: true,
        topics: specs.map((spec) => ({
          topic: spec.name,
          numPartitions: spec.partitions,
          configEntries: topicConfigEntries(spec),
        })),
      });
      for (const spec of specs)
        await eventually(
          async () => (await admin.fetchTopicOffsets(spec.name)).length > 0,
          30_000,
          `${spec.name} leaders`,
        );
    } finally {
      await admin.disconnect();
    }
  }

  /** Starts (or restarts, after a kill) the deliverer process. */
  async startDeliverer(): Promise<void> {
    this.deliverer = new ServiceProcess({
      name: 'deliverer',
      port: await freePort(),
      env: {
        KAFKA_BROKERS: testBrokers(),
        KAFKA_TOPIC_PREFIX: this.prefix,
        KAFKA_TOPIC_PARTITIONS: '3',
        LOG_LEVEL: 'info',
        SHUTDOWN_TIMEOUT_MS: '2000',
        ...this.env,
      },
      logDir: resolve(heraldHome('test'), 'logs', this.prefix.slice(0, -1)),
    });
    await this.deliverer.start();
  }

  /** Publishes a webhook (or a new version of it) and returns the snapshot. */
  async upsertWebhook(input: Partial<WebhookSnapshotInput> & { url: string }): Promise<WebhookSnapshot> {
    const webhookId = input.webhookId ?? newId('wh');
    const version = (this.versions.get(webhookId) ?? 0) + 1;
    this.versions.set(webhookId, version);
    const snapshot = webhookSnapshotSchema.parse({
      tenantId: 'default',
      status: 'ACTIVE',
      events: ['*'],
      secrets: [{ secret: generateSecret(), expiresAt: null }],
      updatedAt: new Date().toISOString(),
      name: 'Test receiver',
      ...input,
      webhookId,
      version,
    });
    await this.producer.send({
      topic: this.topics.subscriptions,
      messages: [{ key: webhookId, value: JSON.stringify(snapshot) }],
    });
    return snapshot;
  }

  /** Publishes `count` fresh delivery tasks for a webhook; returns them. */
  async deliver(webhook: WebhookSnapshot, count = 1, data: Record<string, unknown> = {}): Promise<DeliveryTask[]> {
    const tasks = Array.from({ length: count }, (_, i) => this.task(webhook, { index: i, ...data }));
    await this.publish(tasks);
    return tasks;
  }

  /** A fresh delivery task of a new event for a webhook (not published). */
  task(webhook: WebhookSnapshot, data: Record<string, unknown>, orderingKey?: string): DeliveryTask {
    const now = new Date();
    const eventId = newId('evt');
    return {
      deliveryId: deliveryIdFor(eventId, webhook.webhookId),
      eventId,
      webhookId: webhook.webhookId,
      tenantId: webhook.tenantId,
      attempt: 1,
      notBefore: now.getTime(),
      event: {
        eventId,
        eventType: 'agent.created',
        tenantId: webhook.tenantId,
        occurredAt: now.toISOString(),
        receivedAt: now.toISOString(),
        source: 'test',
        schemaVersion: 1,
        data,
        ...(orderingKey === undefined ? {} : { orderingKey }),
      },
      trigger: 'event',
      replayOf: null,
      firstAttemptAt: null,
    };
  }

  /** Publishes tasks to the deliveries topic (or a retry tier) in this order, keyed by webhook as the matcher does. */
  async publish(tasks: DeliveryTask[], topic = this.topics.deliveries): Promise<void> {
    await this.producer.send({
      topic,
      messages: tasks.map((task) => ({ key: task.webhookId, value: JSON.stringify(task) })),
    });
  }

  attemptsOf(webhookId: string): AttemptRecord[] {
    return this.attempts
      .filter((a) => a.webhookId === webhookId)
      .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  }

  /** The deliverer's Prometheus text. */
  async metrics(): Promise<string> {
    return (await fetch(`${this.deliverer.url}/metrics`)).text();
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    await this.deliverer?.stop();
  }
}
