import { Inject, Injectable, Module, type DynamicModule, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { deliveryTaskSchema, describeIssues, subscriptionSnapshotSchema, type SubscriptionSnapshot } from '@herald/contracts';
import { KafkaRuntime, type CompactedTopicView, type ConsumedMessage } from '@herald/kafka';
import { LOGGER, MetricsService } from '@herald/observability';
import { DeliverAttemptUseCase } from './deliver-attempt.usecase';
import { EndpointDirectory } from './endpoint-directory';
import { HttpSender, type HttpSenderOptions } from './http-sender';

export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');

export interface DeliveryOptions extends HttpSenderOptions {
  /** Deliveries processed at once per partition. */
  concurrencyPerPartition: number;
}

@Injectable()
class DelivererConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private view!: CompactedTopicView<SubscriptionSnapshot>;
  private readonly directory = new EndpointDirectory();
  private readonly sender: HttpSender;
  private readonly useCase: DeliverAttemptUseCase;

  constructor(
    private readonly runtime: KafkaRuntime,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    metrics: MetricsService,
  ) {
    this.sender = new HttpSender(options);
    const attempts = metrics.counter({
      name: 'herald_delivery_attempts_total',
      help: 'Delivery attempts by outcome',
      labelNames: ['outcome'],
    });
    const duration = metrics.histogram({
      name: 'herald_delivery_attempt_duration_seconds',
      help: 'Duration of one delivery attempt',
      labelNames: ['outcome'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    });
    const lag = metrics.histogram({
      name: 'herald_delivery_lag_seconds',
      help: 'Time from the event occurring to its successful delivery',
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600],
    });
    const client = runtime.client;
    this.useCase = new DeliverAttemptUseCase({
      directory: this.directory,
      sender: this.sender,
      catchUp: () => this.view.catchUp(),
      publishAttempt: async (record, headers) => {
        await client.send(client.topics.attempts, [{ key: record.webhookId, value: record, headers }]);
      },
      metrics: {
        attempt: (outcome, seconds) => {
          attempts.inc({ outcome });
          duration.observe({ outcome }, seconds);
        },
        delivered: (seconds) => lag.observe(seconds),
      },
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const client = this.runtime.client;
    this.view = this.runtime.view({
      topic: client.topics.subscriptions,
      groupBase: `${client.settings.topicPrefix}herald-deliverer-endpoints`,
      parse: (value) => subscriptionSnapshotSchema.parse(JSON.parse(value.toString('utf8'))),
      onChange: (key, value) => this.directory.apply(key, value),
    });
    await this.view.start();
    const loop = this.runtime.consumer({
      groupId: `${client.settings.topicPrefix}herald-deliverer`,
      topics: [client.topics.deliveries],
      concurrency: this.options.concurrencyPerPartition,
      partitionsConsumedConcurrently: client.settings.partitions,
      commitIntervalMs: 50,
      handle: (message) => this.handle(message),
    });
    await loop.start();
  }

  private async handle(message: ConsumedMessage): Promise<void> {
    let task;
    try {
      task = deliveryTaskSchema.safeParse(JSON.parse(message.value?.toString('utf8') ?? ''));
    } catch (error) {
      return this.deadLetter(message, `value is not valid JSON: ${(error as Error).message}`);
    }
    if (!task.success) return this.deadLetter(message, `not a valid delivery task: ${describeIssues(task.error)}`);
    await this.useCase.execute(task.data, message.headers);
  }

  private async deadLetter(message: ConsumedMessage, reason: string): Promise<void> {
    this.logger.warn({ topic: message.topic, offset: message.offset, reason }, 'delivery task dead-lettered');
    await this.runtime.client.deadLetter(this.runtime.client.topics.deliveriesDlq, message, reason);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }
}

@Module({})
export class DeliveryModule {
  static forRoot(options: DeliveryOptions): DynamicModule {
    return {
      module: DeliveryModule,
      providers: [{ provide: DELIVERY_OPTIONS, useValue: options }, DelivererConsumers],
    };
  }
}
