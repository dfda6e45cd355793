import { randomUUID } from 'node:crypto';
import {
  ConfigResourceTypes,
  Kafka,
  logLevel,
  type Admin,
  type IHeaders,
  type Message,
  type RecordMetadata,
} from 'kafkajs';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  heraldTopicSpecs,
  resolveTopics,
  topicConfigEntries,
  type DeadLetter,
  type TopicContract,
  type TopicNames,
  type TopicSpec,
} from '@herald/contracts';
import { SpanKind, inSpan, injectTraceHeaders, withoutEchoedInput } from '@herald/observability';
import { ChosenPartitions, CoalescingProducer } from './coalescing-producer';
import { replicationConfigEntries, type KafkaSettings } from './kafka-config';
import { applyKafkajsIdleFix } from './kafkajs-idle-fix';
import { noDelaySocketFactory } from './socket-factory';

export interface OutgoingMessage {
  key: string | null;
  /** Serialised as JSON; null is a tombstone. */
  value: unknown | null;
  headers?: IHeaders;
}

/** Hooks for the process's metrics (the client itself stays free of the registry). */
export interface KafkaClientMetrics {
  deadLettered(topic: string): void;
  producerRenewed?(): void;
  /** Messages a produce request left out (kafkajs after a leader moved), sent again. */
  producerResent?(messages: number): void;
}

/**
 * A Kafka message with the active trace context in its headers: the producer span's
 * `traceparent` replaces one passed in, so each hop's span is the parent of the next.
 */
function encode(m: OutgoingMessage): Message {
  return {
    key: m.key,
    value: m.value === null ? null : JSON.stringify(m.value),
    headers: injectTraceHeaders({ ...m.headers }),
  };
}

const producerSpan = (topic: string, count: number) => ({
  kind: SpanKind.PRODUCER,
  attributes: {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.batch.message_count': count,
  },
});

function toKafkaLogLevel(level: logLevel): 'error' | 'warn' | 'info' | 'debug' {
  switch (level) {
    case logLevel.ERROR:
    case logLevel.NOTHING:
      return 'error';
    case logLevel.WARN:
      return 'warn';
    case logLevel.INFO:
      return 'info';
    default:
      return 'debug';
  }
}

/**
 * How long an attempt or audit record waits for others to share its produce request: at 11 events/s
 * (fan-out 10) 50 ms gave one request and one deliverer commit per event; 200 ms about one per two.
 */
export const RECORD_LINGER_MS = 200;

/** A producer whose every request failed for this long fails readiness (kafkajs retries one send for up to ~30 s). */
const PRODUCER_FAILING_MS = 45_000;

/**
 * One kafkajs client per process: a shared idempotent producer (acks from all in-sync replicas),
 * an admin client, and topic creation. Consumers are created through ConsumerLoop.
 */
export class KafkaClient {
  readonly kafka: Kafka;
  readonly topics: TopicNames;
  /** This process in consumer groups' assignments (the same in each of its groups). */
  readonly instanceId = randomUUID();
  /** Topics read only off the latency path (by audit-log): their records wait to share a request. */
  private readonly lingering: Set<string>;
  private readonly producer: CoalescingProducer;
  private readonly admin: Admin;
  private cluster: OffsetsCluster | null = null;
  private connected = false;

  constructor(
    readonly settings: KafkaSettings,
    readonly logger: Logger,
    private readonly metrics?: KafkaClientMetrics,
  ) {
    this.topics = resolveTopics(settings.topicPrefix);
    this.lingering = new Set([this.topics.attempts, this.topics.audit]);
    applyKafkajsIdleFix();
    const kafkaLogger = logger.child({ component: 'kafkajs' });
    this.kafka = new Kafka({
      clientId: settings.clientId,
      brokers: settings.brokers,
      ssl: settings.ssl,
      sasl: settings.sasl,
      socketFactory: noDelaySocketFactory,
      connectionTimeout: 3000,
      requestTimeout: 30000,
      retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5000 },
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => {
        const { message, ...extra } = entry.log;
        // kafkajs logs a crashed handler's error as strings (`error`, `stack`), out of reach of pino's err serializer.
        for (const key of ['error', 'stack'] as const) {
          if (typeof extra[key] === 'string') extra[key] = withoutEchoedInput(extra[key]);
        }
        kafkaLogger[toKafkaLogLevel(entry.level)]({ namespace: entry.namespace, ...extra }, message);
      },
    });
    // Concurrent sends share produce requests (the idempotent producer allows one in flight).
    const chosen = new ChosenPartitions();
    const createProducer = () =>
      this.kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: chosen.createPartitioner,
      });
    this.producer = new CoalescingProducer(
      createProducer(),
      undefined,
      (topic) => (this.lingering.has(topic) ? RECORD_LINGER_MS : 0),
      {
        create: createProducer,
        renewed: (error) => {
          this.metrics?.producerRenewed?.();
          logger.warn({ err: error }, 'idempotent producer fenced after a broker failover: replaced by a new one');
        },
      },
      undefined,
      {
        chosen,
        resent: (messages, partitions) => {
          this.metrics?.producerResent?.(messages);
          logger.warn({ messages, partitions }, 'a produce request left partitions out (a leader moved): sent again');
        },
      },
    );
    this.admin = this.kafka.admin();
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.admin.connect();
    try {
      if (this.settings.createTopics) await this.ensureTopics();
      else await this.expectTopics();
    } catch (error) {
      await this.admin.disconnect().catch(() => undefined);
      throw error;
    }
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
    const cluster = this.cluster;
    this.cluster = null;
    await cluster?.disconnect().catch(() => undefined);
  }

  // Five services race to create topics on first start, and a loaded broker answers for a fresh topic
  // with UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE for a while: retried until the deadline.
  async ensureTopics(deadlineMs = 120_000): Promise<void> {
    const specs = heraldTopicSpecs(this.settings.topicPrefix, this.settings.partitions);
    const deadline = Date.now() + deadlineMs;
    for (let attempt = 1; ; attempt++) {
      try {
        const existing = new Set(await this.admin.listTopics());
        const missing = specs.filter((spec) => !existing.has(spec.name));
        if (missing.length > 0) {
          await this.admin
            .createTopics({
              waitForLeaders: false,
              topics: missing.map((spec) => ({
                topic: spec.name,
                numPartitions: spec.partitions,
                replicationFactor: this.settings.replicationFactor,
                configEntries: [...topicConfigEntries(spec), ...replicationConfigEntries(this.settings)],
              })),
            })
            .catch((error: Error) => {
              // Another service may have created it between list and create.
              if (!/already exists/i.test(error.message)) throw error;
            });
        }
        const metadata = await this.admin.fetchTopicMetadata({ topics: specs.map((spec) => spec.name) });
        const leaderless = metadata.topics.filter(
          (topic) => topic.partitions.length === 0 || topic.partitions.some((partition) => partition.leader < 0),
        );
        if (leaderless.length === 0) return;
        throw new Error(`no leader yet for ${leaderless.map((topic) => topic.name).join(', ')}`);
      } catch (error) {
        if (isConfigurationError(error)) throw error;
        if (Date.now() > deadline) {
          throw new Error(
            `Kafka topics not ready after ${Math.round(deadlineMs / 1000)} s: ${(error as Error).message}`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(200 * attempt, 2000)));
      }
    }
  }

  /**
   * Where the platform team pre-creates topics (KAFKA_CREATE_TOPICS=false), fails the start
   * naming every missing one rather than letting consumers wait on topics that never appear.
   */
  async expectTopics(): Promise<void> {
    const existing = new Set(await this.admin.listTopics());
    const missing = heraldTopicSpecs(this.settings.topicPrefix, this.settings.partitions)
      .map((spec) => spec.name)
      .filter((name) => !existing.has(name));
    if (missing.length > 0) {
      throw new Error(`KAFKA_CREATE_TOPICS is false and these topics do not exist: ${missing.join(', ')}`);
    }
  }

  // Only where Herald creates its topics: pre-created topics' configs belong to the platform team.
  async alignTopicConfig(spec: TopicSpec): Promise<void> {
    const wanted = topicConfigEntries(spec);
    const described = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.name, configNames: wanted.map((entry) => entry.name) }],
    });
    const current = new Map(
      described.resources[0]?.configEntries.map((entry) => [entry.configName, entry.configValue]) ?? [],
    );
    const differing = wanted.filter((entry) => current.get(entry.name) !== entry.value);
    if (differing.length === 0) return;
    const change = { topic: spec.name, configs: differing.map((entry) => `${entry.name}=${entry.value}`) };
    if (!this.settings.createTopics) {
      this.logger.warn(change, 'pre-created topic has other configs than Herald expects');
      return;
    }
    // alterConfigs replaces the topic's dynamic configs: every config of the spec is sent.
    await this.admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: spec.name, configEntries: wanted }],
    });
    this.logger.info(change, 'topic configs aligned');
  }

  /** Sends JSON messages to one topic; resolves once every in-sync replica has them. */
  async send(topic: string, messages: OutgoingMessage[]): Promise<RecordMetadata[]> {
    if (messages.length === 0) return [];
    return inSpan(`send ${topic}`, producerSpan(topic, messages.length), () =>
      this.producer.send({ topic, acks: -1, messages: messages.map(encode) }),
    );
  }

  /** The messages of a contract topic: keyed as its contract says; one typed door for producers. */
  messages<S extends z.ZodType>(
    contract: TopicContract<S>,
    values: z.input<S>[],
    headers?: IHeaders,
  ): { topic: string; messages: OutgoingMessage[] } {
    return {
      topic: this.topics[contract.topic],
      messages: values.map((value) => ({ key: contract.key(value as z.output<S>), value, headers })),
    };
  }

  /** Sends values of one contract topic; resolves once every in-sync replica has them. */
  async publish<S extends z.ZodType>(
    contract: TopicContract<S>,
    values: z.input<S>[],
    headers?: IHeaders,
  ): Promise<void> {
    const { topic, messages } = this.messages(contract, values, headers);
    await this.send(topic, messages);
  }

  /** Sends to several topics in one request. */
  async sendBatch(batch: { topic: string; messages: OutgoingMessage[] }[]): Promise<void> {
    const nonEmpty = batch.filter((b) => b.messages.length > 0);
    if (nonEmpty.length === 0) return;
    const topics = nonEmpty.map((b) => b.topic).join(',');
    const count = nonEmpty.reduce((n, b) => n + b.messages.length, 0);
    await inSpan(`send ${topics}`, producerSpan(topics, count), async () => {
      const topicMessages = nonEmpty.map((b) => ({ topic: b.topic, messages: b.messages.map(encode) }));
      await this.producer.sendBatch({ acks: -1, topicMessages });
    });
  }

  /** Sends an unprocessable message to a dead-letter topic with the reason. */
  async deadLetter(
    topic: string,
    message: { topic: string; partition: number; offset: string; key: string | null; value: Buffer | null },
    reason: string,
  ): Promise<void> {
    const letter: DeadLetter = {
      reason,
      source: { topic: message.topic, partition: message.partition, offset: message.offset, key: message.key },
      value: message.value ? message.value.toString('utf8') : null,
      deadLetteredAt: new Date().toISOString(),
    };
    await this.send(topic, [{ key: message.key, value: letter }]);
    this.metrics?.deadLettered(topic);
  }

  /** Readiness: reachable brokers, and a producer that has not failed every request for PRODUCER_FAILING_MS. */
  async ping(): Promise<void> {
    this.producer.checkHealthy(PRODUCER_FAILING_MS);
    await this.admin.describeCluster();
  }

  // One ListOffsets per leader: admin.fetchTopicOffsets sends two in a row, and the matcher waits
  // for this before every batch.
  async highWatermarks(topic: string): Promise<Map<number, bigint>> {
    for (let attempt = 1; ; attempt++) {
      try {
        const cluster = await this.offsetsCluster();
        await cluster.addTargetTopic(topic);
        await cluster.refreshMetadataIfNecessary();
        const partitions = cluster.findTopicPartitionMetadata(topic).map((p) => ({ partition: p.partitionId }));
        const [offsets] = await cluster.fetchTopicsOffset([{ topic, fromBeginning: false, partitions }]);
        return new Map(offsets.partitions.map((o) => [o.partition, BigInt(o.offset)]));
      } catch (error) {
        const type = (error as { type?: string }).type;
        if (
          type === 'UNKNOWN_TOPIC_OR_PARTITION' ||
          type === 'NOT_LEADER_FOR_PARTITION' ||
          type === 'LEADER_NOT_AVAILABLE'
        ) {
          await this.cluster?.refreshMetadata().catch(() => undefined);
        }
        // Just after topics are created a broker may not lead its partitions yet (NOT_LEADER).
        if (attempt >= 10 || !(error as { retriable?: boolean }).retriable) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  /** kafkajs's own cluster (as its admin builds one), for the single-request offset lookup above. */
  private async offsetsCluster(): Promise<OffsetsCluster> {
    if (!this.cluster) {
      const create = kafkajsCreateCluster(this.kafka);
      // kafkajs's own default: without it metadata expires at once and every lookup sends a Metadata request first.
      const cluster = create({ allowAutoTopicCreation: false, metadataMaxAge: METADATA_MAX_AGE_MS });
      await cluster.connect();
      this.cluster = cluster;
    }
    return this.cluster;
  }
}

/** How long the offsets cluster trusts its partition metadata (kafkajs's default for producers and consumers). */
const METADATA_MAX_AGE_MS = 300_000;

/** The kafkajs 2.2.4 Cluster methods highWatermarks uses (kafkajs/src/cluster). */
interface OffsetsCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  addTargetTopic(topic: string): Promise<void>;
  refreshMetadata(): Promise<void>;
  refreshMetadataIfNecessary(): Promise<void>;
  findTopicPartitionMetadata(topic: string): { partitionId: number }[];
  fetchTopicsOffset(
    topics: { topic: string; fromBeginning: boolean; partitions: { partition: number }[] }[],
  ): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

/** Kafka's private cluster factory (the one admin() and consumer() use), found by its symbol's name. */
function kafkajsCreateCluster(
  kafka: Kafka,
): (options: { allowAutoTopicCreation: boolean; metadataMaxAge: number }) => OffsetsCluster {
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === 'private:Kafka:createCluster');
  const create = symbol ? (kafka as unknown as Record<symbol, unknown>)[symbol] : undefined;
  if (typeof create !== 'function')
    throw new Error(
      'kafkajs has no private:Kafka:createCluster: re-check KafkaClient.highWatermarks for this kafkajs version',
    );
  return create as (options: { allowAutoTopicCreation: boolean; metadataMaxAge: number }) => OffsetsCluster;
}

/** Errors no wait can fix (bad replication factor, missing ACLs, ...): the start fails at once. */
const CONFIGURATION_ERRORS = new Set([
  'INVALID_REPLICATION_FACTOR',
  'INVALID_PARTITIONS',
  'INVALID_CONFIG',
  'POLICY_VIOLATION',
  'TOPIC_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
]);

function isConfigurationError(error: unknown): boolean {
  const candidate = error as { type?: string; errors?: unknown[] };
  if (candidate?.type && CONFIGURATION_ERRORS.has(candidate.type)) return true;
  return Array.isArray(candidate?.errors) && candidate.errors.some(isConfigurationError);
}
