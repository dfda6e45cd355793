import {
  Global,
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER, MetricsService, ReadinessRegistry, withTimeout } from '@herald/observability';
import { CompactedTopicView, type CompactedViewOptions } from './compacted-view';
import { ConsumerLoop, type ConsumerLoopMetrics, type ConsumerLoopOptions } from './consumer-loop';
import { KafkaClient } from './kafka-client';
import type { KafkaSettings } from './kafka-config';
import { readRecord, type TopicConsumerOptions } from './topic-consumer';

export const KAFKA_SETTINGS = Symbol('KAFKA_SETTINGS');
export const SHUTDOWN_TIMEOUT_MS = Symbol('SHUTDOWN_TIMEOUT_MS');

/**
 * Owns this process's Kafka consumers and views: creates them, reports them in readiness, and
 * on shutdown stops them (finishing in-flight work and committing) before the producer closes.
 */
@Injectable()
export class KafkaRuntime implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly loops: ConsumerLoop[] = [];
  private readonly views: { check(): void; stop(): Promise<void> }[] = [];
  private readonly lag;
  private readonly processing;

  constructor(
    readonly client: KafkaClient,
    private readonly readiness: ReadinessRegistry,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SHUTDOWN_TIMEOUT_MS) private readonly shutdownTimeoutMs: number,
    metrics: MetricsService,
  ) {
    this.lag = metrics.gauge({
      name: 'herald_kafka_consumer_lag',
      help: 'Messages between the last fetched one and the end of the partition, per consumer group',
      labelNames: ['group', 'topic', 'partition'],
    });
    this.processing = metrics.histogram({
      name: 'herald_kafka_message_processing_seconds',
      help: 'Time to process one consumed message, retries included',
      labelNames: ['group', 'topic'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register('kafka', () => withTimeout(this.client.ping(), 3000, 'Kafka'));
    this.readiness.register('consumers', async () => {
      for (const loop of this.loops) loop.check();
      for (const view of this.views) view.check();
    });
    await this.client.connect();
  }

  consumer(options: ConsumerLoopOptions): ConsumerLoop {
    const group = options.groupId;
    const metrics: ConsumerLoopMetrics = {
      lag: (topic, partition, messages) => this.lag.set({ group, topic, partition: String(partition) }, messages),
      processed: (topic, seconds) => this.processing.observe({ group, topic }, seconds),
    };
    const loop = new ConsumerLoop(this.client, options, this.logger.child({ consumer: group }), metrics);
    this.loops.push(loop);
    return loop;
  }

  /**
   * The one door for reading contract topics: unreadable records go to the contract's dead-letter
   * topic (never retried), so handlers get typed values only.
   */
  consume(options: TopicConsumerOptions): ConsumerLoop {
    const { handlers, deadLettered, deadLetterLog, ...loop } = options;
    const byTopic = new Map(handlers.map((h) => [this.client.topics[h.contract.topic], h]));
    const logger = this.logger.child({ consumer: options.groupId });
    return this.consumer({
      ...loop,
      topics: [...byTopic.keys()],
      handle: async (message) => {
        const handler = byTopic.get(message.topic)!;
        const read = readRecord(handler.contract, message);
        if (read.ok) return handler.handle(read.value, message);
        const text = deadLetterLog ?? `${handler.contract.describes} dead-lettered`;
        logger.warn({ topic: message.topic, offset: message.offset, key: message.key, reason: read.reason }, text);
        await this.client.deadLetter(this.client.topics[handler.contract.deadLetter], message, read.reason);
        deadLettered?.(message, read.reason);
      },
    });
  }

  view<T>(options: CompactedViewOptions<T>): CompactedTopicView<T> {
    const view = new CompactedTopicView<T>(this.client, options, this.logger.child({ view: options.topic }));
    this.views.push(view);
    return view;
  }

  async beforeApplicationShutdown(): Promise<void> {
    await Promise.all(this.loops.map((loop) => loop.stop(this.shutdownTimeoutMs)));
    await Promise.all(this.views.map((view) => view.stop()));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.disconnect();
  }
}

@Global()
@Module({})
export class KafkaModule {
  static forRoot(settings: KafkaSettings, options: { shutdownTimeoutMs: number }): DynamicModule {
    return {
      module: KafkaModule,
      providers: [
        { provide: KAFKA_SETTINGS, useValue: settings },
        { provide: SHUTDOWN_TIMEOUT_MS, useValue: options.shutdownTimeoutMs },
        {
          provide: KafkaClient,
          inject: [LOGGER, MetricsService],
          useFactory: (logger: Logger, metrics: MetricsService) => {
            const deadLetters = metrics.counter({
              name: 'herald_dead_letters_total',
              help: 'Messages sent to a dead-letter topic, by topic',
              labelNames: ['topic'],
            });
            const renewed = metrics.counter({
              name: 'herald_kafka_producer_renewals_total',
              help: 'Idempotent producers replaced after the broker fenced them (out-of-order sequence after a failover)',
            });
            const resent = metrics.counter({
              name: 'herald_kafka_producer_resent_total',
              help: 'Messages a produce request left out after a partition leader moved (kafkajs), sent again',
            });
            return new KafkaClient(settings, logger, {
              deadLettered: (topic) => deadLetters.inc({ topic }),
              producerRenewed: () => renewed.inc(),
              producerResent: (messages) => resent.inc(messages),
            });
          },
        },
        KafkaRuntime,
      ],
      exports: [KafkaClient, KafkaRuntime, KAFKA_SETTINGS],
    };
  }
}
