import {
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import {
  RETRY_TIERS,
  TopicContracts,
  subscriptionSnapshotSchema,
  type DeliveryTask,
  type Notification,
  type SubscriptionSnapshot,
} from '@herald/contracts';
import { KafkaRuntime, onTopic, type CompactedTopicView, type ConsumedMessage, type Settling } from '@herald/kafka';
import { LOGGER, MetricsService } from '@herald/observability';
import { DeliverAttemptUseCase, type DeliveryMetrics } from './deliver-attempt.usecase';
import { NOT_BEFORE_HEADER, stepMessages } from './delivery-step-messages';
import { WebhookDirectory } from './webhook-directory';
import { WebhookGate, type BreakerState, type WebhookGateOptions } from './webhook-gate';
import { HttpSender, type HttpSenderOptions } from '@herald/webhook-request';
import { NotificationMailer, type MailerOptions } from './notification-mailer';
import { RetrySchedule, type RetryScheduleOptions } from './retry-schedule';

export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');

export interface DeliveryOptions extends HttpSenderOptions {
  /** Fresh deliveries processed at once per partition. */
  concurrencyPerPartition: number;
  /** Due retries processed at once per retry-tier partition (a separate pool from fresh deliveries). */
  retryConcurrencyPerPartition: number;
  retry: RetryScheduleOptions;
  gate: WebhookGateOptions;
  /** A webhook failing without a success for this long is disabled (ms). */
  autoDisableAfterMs: number;
  /** SMTP for notifications; null: notifications are only published to the topic. */
  mail: MailerOptions | null;
}

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2 };

function deliveryMetrics(metrics: MetricsService): {
  delivery: DeliveryMetrics;
  breaker: (id: string, s: BreakerState) => void;
  inFlight: (id: string, n: number) => void;
} {
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
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 3600, 21600, 86400],
  });
  const retries = metrics.counter({
    name: 'herald_delivery_retries_scheduled_total',
    help: 'Retries scheduled after a failed attempt',
  });
  const dead = metrics.counter({
    name: 'herald_delivery_dead_letters_total',
    help: 'Deliveries dead-lettered after the last attempt',
  });
  const deferred = metrics.counter({
    name: 'herald_delivery_deferred_total',
    help: 'Deliveries put back without an attempt (breaker open, concurrency cap, rate limit)',
    labelNames: ['reason'],
  });
  const breaker = metrics.gauge({
    name: 'herald_endpoint_breaker_state',
    help: 'Circuit breaker per endpoint: 0 closed, 1 half-open, 2 open',
    labelNames: ['webhook_id'],
  });
  const inFlight = metrics.gauge({
    name: 'herald_endpoint_in_flight',
    help: 'Requests in flight per endpoint',
    labelNames: ['webhook_id'],
  });
  return {
    delivery: {
      attempt: (outcome, seconds) => {
        attempts.inc({ outcome });
        duration.observe({ outcome }, seconds);
      },
      delivered: (seconds) => lag.observe(seconds),
      retryScheduled: () => retries.inc(),
      deadLettered: () => dead.inc(),
      deferred: (reason) => deferred.inc({ reason }),
    },
    breaker: (id, state) => breaker.set({ webhook_id: id }, BREAKER_VALUE[state]),
    inFlight: (id, n) => inFlight.set({ webhook_id: id }, n),
  };
}

@Injectable()
class DelivererConsumers implements OnApplicationBootstrap, OnApplicationShutdown {
  private view!: CompactedTopicView<SubscriptionSnapshot>;
  private readonly directory = new WebhookDirectory();
  private readonly gate: WebhookGate;
  private readonly sender: HttpSender;
  private readonly mailer: NotificationMailer | null;
  private readonly useCase: DeliverAttemptUseCase;
  private readonly tierDelays = new Map<string, number>();

  constructor(
    private readonly runtime: KafkaRuntime,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    metricsService: MetricsService,
  ) {
    const metrics = deliveryMetrics(metricsService);
    this.sender = new HttpSender(options);
    this.gate = new WebhookGate(options.gate, { breakerChanged: metrics.breaker, inFlightChanged: metrics.inFlight });
    this.mailer = options.mail ? new NotificationMailer(options.mail) : null;
    const client = runtime.client;
    for (const tier of RETRY_TIERS) this.tierDelays.set(client.topics[tier.topic], tier.delayMs);
    this.useCase = new DeliverAttemptUseCase({
      directory: this.directory,
      gate: this.gate,
      sender: this.sender,
      schedule: new RetrySchedule(options.retry),
      autoDisableAfterMs: options.autoDisableAfterMs,
      catchUp: () => this.view.catchUp(),
      metrics: metrics.delivery,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const client = this.runtime.client;
    const prefix = client.settings.topicPrefix;
    this.view = this.runtime.view({
      topic: client.topics.subscriptions,
      groupBase: `${prefix}herald-deliverer-endpoints`,
      parse: (value) => subscriptionSnapshotSchema.parse(JSON.parse(value.toString('utf8'))),
      onChange: (key, value) => {
        const previous = this.directory.apply(key, value);
        // Deleted or re-enabled: the endpoint starts again with a clean record.
        if (!value || (value.status === 'ACTIVE' && previous && previous.status !== 'ACTIVE')) this.gate.reset(key);
      },
    });
    await this.view.start();
    const deliver = (task: DeliveryTask, message: ConsumedMessage) => this.deliver(task, message);
    const loops = [
      this.runtime.consume({
        groupId: `${prefix}herald-deliverer`,
        handlers: [onTopic(TopicContracts.deliveries, deliver)],
        concurrency: this.options.concurrencyPerPartition,
        partitionsConsumedConcurrently: client.settings.partitions,
        commitIntervalMs: 50,
      }),
      // Retries have their own group and slots: a burst of them never delays fresh deliveries.
      this.runtime.consume({
        groupId: `${prefix}herald-deliverer-retries`,
        // The delay tiers carry delivery tasks, read as the deliveries topic's contract says.
        handlers: RETRY_TIERS.map((tier) => onTopic({ ...TopicContracts.deliveries, topic: tier.topic }, deliver)),
        concurrency: this.options.retryConcurrencyPerPartition,
        partitionsConsumedConcurrently: client.settings.partitions * RETRY_TIERS.length,
        commitIntervalMs: 50,
        holdUntil: (message) => this.dueAt(message),
      }),
    ];
    if (this.mailer) {
      loops.push(
        this.runtime.consume({
          groupId: `${prefix}herald-deliverer-mailer`,
          handlers: [onTopic(TopicContracts.notifications, (notification) => this.mail(notification))],
          concurrency: 4,
          partitionsConsumedConcurrently: client.settings.partitions,
        }),
      );
    }
    await Promise.all(loops.map((loop) => loop.start()));
  }

  /** A parked retry is handled when its tier's wait is over or it is due, whichever is first. */
  private dueAt(message: ConsumedMessage): number | undefined {
    const notBefore = Number(message.headers[NOT_BEFORE_HEADER]?.toString());
    const tierDue = Number(message.timestamp) + (this.tierDelays.get(message.topic) ?? 0);
    return Number.isFinite(notBefore) ? Math.min(notBefore, tierDue) : tierDue;
  }

  private async deliver(task: DeliveryTask, message: ConsumedMessage): Promise<Settling> {
    const step = await this.useCase.execute(task, message.headers);
    // The slot is free once the HTTP exchange is over; the offset waits for Kafka to have the step.
    const { client } = this.runtime;
    return { settled: client.sendBatch(stepMessages(step, client.topics, message.headers.traceparent?.toString())) };
  }

  private async mail(notification: Notification): Promise<void> {
    if (await this.mailer!.send(notification)) {
      this.logger.info({ webhookId: notification.webhookId, kind: notification.kind }, 'notification mailed');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
    this.mailer?.close();
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
