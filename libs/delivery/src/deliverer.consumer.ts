import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Logger } from 'pino';
import {
  RETRY_TIERS,
  TopicContracts,
  attemptIsFinal,
  orderedDeliverySchema,
  orderingLaneOf,
  webhookSnapshotSchema,
  type DeliveryTask,
  type EventEnvelope,
  type Notification,
  type OrderedDelivery,
  type WebhookSnapshot,
} from '@herald/contracts';
import { KafkaRuntime, onTopic, type CompactedTopicView, type ConsumedMessage, type Settling } from '@herald/kafka';
import { LOGGER, MetricsService } from '@herald/observability';
import { DeliveryHealthEvents } from '@herald/operational-webhooks';
import { HttpSender } from '@herald/webhook-request';
import { DeliverAttemptUseCase, type DeliveryStep } from './deliver-attempt.usecase';
import { deliveryMetrics } from './delivery-metrics';
import { DELIVERY_OPTIONS, type DeliveryOptions } from './delivery.options';
import { readAttemptsTail } from './done/attempts-tail';
import { DEFAULT_DEDUPE_WINDOW_MS, DoneDeliveries } from './done/done-deliveries';
import { NOT_BEFORE_HEADER, stepMessages, type StepBatch } from './delivery-step-messages';
import { NotificationMailer } from './notification-mailer';
import { OrderingLanes, type LaneOutcome } from './ordering/ordering-lanes';
import { RetrySchedule } from './retry-schedule';
import { WebhookDirectory } from './webhook-directory';
import { WebhookGate } from './webhook-gate';

/** Logs each delivery handled and its next step (a diagnostic aid for the chaos suite). */
const TRACE_DELIVERIES = process.env.HERALD_TRACE_DELIVERIES === '1';

@Injectable()
export class DelivererConsumers implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private view!: CompactedTopicView<WebhookSnapshot>;
  /** Deliveries with an orderingKey not yet finished, as last written (read back on assignment). */
  private orderedView!: CompactedTopicView<OrderedDelivery>;
  private readonly lanes: OrderingLanes;
  /** The current assignment's ordered deliveries are in their lanes once this resolves. */
  private restored: Promise<void> = Promise.resolve();
  /** Ordered steps being written, by delivery. */
  private readonly writes = new Map<string, Promise<void>>();
  private stopping = false;
  private readonly directory = new WebhookDirectory();
  private readonly gate: WebhookGate;
  private readonly sender: HttpSender;
  private readonly mailer: NotificationMailer | null;
  private readonly useCase: DeliverAttemptUseCase;
  private readonly tierDelays = new Map<string, number>();
  private readonly healthEvents: DeliveryHealthEvents;
  private readonly done: DoneDeliveries;
  private readonly skippedDone: (source: 'fresh' | 'retry' | 'ordered') => void;
  private readonly joinedInFlight: () => void;
  /**
   * Deliveries this process is handling, until their step is on Kafka (or, for a step that parks
   * it on a delay tier, until that step is known). A copy read again meanwhile (a rebalance or a
   * seek re-reads what was not committed) waits for that outcome instead of sending a second request.
   */
  private readonly handling = new Map<string, Promise<void>>();

  constructor(
    private readonly runtime: KafkaRuntime,
    @Inject(DELIVERY_OPTIONS) private readonly options: DeliveryOptions,
    @Inject(LOGGER) private readonly logger: Logger,
    metricsService: MetricsService,
  ) {
    const metrics = deliveryMetrics(metricsService);
    this.sender = new HttpSender(options);
    this.healthEvents = new DeliveryHealthEvents({
      webhook: (id) => this.directory.get(id)?.snapshot,
      failingSince: (id) => this.gate.failingSince(id, null),
      operatorTenant: options.operationalWebhooksTenant,
    });
    this.gate = new WebhookGate(options.gate, {
      breakerChanged: (id, state) => {
        metrics.breaker(id, state);
        this.healthEvents.breakerChanged(id, state);
      },
      inFlightChanged: metrics.inFlight,
      limitChanged: metrics.limit,
    });
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
    this.skippedDone = metrics.skippedDone;
    this.joinedInFlight = metrics.joinedInFlight;
    this.done = new DoneDeliveries(options.dedupe ?? { windowMs: DEFAULT_DEDUPE_WINDOW_MS }, {
      logger,
      readTail: (partitions, since, limits) =>
        readAttemptsTail(client.kafka, {
          attemptsTopic: client.topics.attempts,
          deliveriesTopic: client.topics.deliveries,
          groupBase: `${client.settings.topicPrefix}herald-deliverer-done`,
          partitions,
          since,
          ...limits,
        }),
    });
    this.lanes = new OrderingLanes({
      save: (entries) =>
        client
          .send(
            client.topics.orderedDeliveries,
            entries.map((entry) => ({ key: entry.task.deliveryId, value: entry })),
          )
          .then(() => undefined),
      run: (entry) => this.deliverOrdered(entry),
      failed: (entry, error) =>
        this.logger.warn({ err: error, deliveryId: entry.task.deliveryId }, 'ordered delivery step failed; retrying'),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    const client = this.runtime.client;
    const prefix = client.settings.topicPrefix;
    this.view = this.runtime.view({
      topic: client.topics.subscriptions,
      groupBase: `${prefix}herald-deliverer-endpoints`,
      parse: (value) => webhookSnapshotSchema.parse(JSON.parse(value.toString('utf8'))),
      onChange: (key, value) => {
        const previous = this.directory.apply(key, value);
        // Deleted or re-enabled: the endpoint starts again with a clean record.
        if (!value || (value.status === 'ACTIVE' && previous && previous.status !== 'ACTIVE')) {
          this.gate.reset(key);
          this.healthEvents.forget(key);
        }
      },
    });
    this.orderedView = this.runtime.view({
      topic: client.topics.orderedDeliveries,
      groupBase: `${prefix}herald-deliverer-ordered`,
      parse: (value) => orderedDeliverySchema.parse(JSON.parse(value.toString('utf8'))),
    });
    await Promise.all([this.view.start(), this.orderedView.start()]);
    const deliver = (task: DeliveryTask, message: ConsumedMessage) => this.deliver(task, message);
    const loops = [
      this.runtime.consume({
        groupId: `${prefix}herald-deliverer`,
        handlers: [onTopic(TopicContracts.deliveries, deliver)],
        concurrency: this.options.concurrencyPerPartition,
        partitionsConsumedConcurrently: client.settings.partitions,
        commitIntervalMs: 500,
        // With the retries group: a webhook's fresh and retried deliveries meet one gate (limits, breaker).
        coPartitioned: true,
        onAssignment: (assignment) => this.assigned(assignment[client.topics.deliveries] ?? []),
      }),
      // Retries have their own group and slots: a burst of them never delays fresh deliveries.
      this.runtime.consume({
        groupId: `${prefix}herald-deliverer-retries`,
        // The delay tiers carry delivery tasks, read as the deliveries topic's contract says.
        handlers: RETRY_TIERS.map((tier) => onTopic({ ...TopicContracts.deliveries, topic: tier.topic }, deliver)),
        concurrency: this.options.retryConcurrencyPerPartition,
        partitionsConsumedConcurrently: client.settings.partitions * RETRY_TIERS.length,
        commitIntervalMs: 500,
        coPartitioned: true,
        holdUntil: (message) => this.dueAt(message),
        onAssignment: (assignment) => {
          const partitions = RETRY_TIERS.flatMap((tier) => assignment[client.topics[tier.topic]] ?? []);
          void this.done.assigned('retries', [...new Set(partitions)]);
        },
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

  /** Lanes follow the deliveries partitions: the new owner reads the ordered deliveries back first. */
  private assigned(partitions: number[]): void {
    const owned = new Set(partitions);
    this.lanes.retain(owned);
    // Lanes start their heads once restored: finished ones must be known by then.
    const done = this.done.assigned('deliveries', partitions);
    this.restored = Promise.all([done, this.orderedView.catchUp(60_000)]).then(
      () => this.lanes.restore([...this.orderedView.values()].filter((entry) => owned.has(entry.partition))),
      (error: unknown) => {
        this.logger.error({ err: error }, 'could not read the ordered deliveries back');
        throw error;
      },
    );
    this.restored.catch(() => undefined);
  }

  private async deliver(task: DeliveryTask, message: ConsumedMessage): Promise<Settling> {
    const { client } = this.runtime;
    // Anything not on the deliveries topic comes back from a delay tier.
    const fresh = message.topic === client.topics.deliveries;
    const loading = this.done.ready(message.partition);
    if (loading) await loading;
    if (TRACE_DELIVERIES)
      this.logger.info(
        {
          deliveryId: task.deliveryId,
          t: message.topic,
          p: message.partition,
          o: message.offset,
          done: this.done.has(task.deliveryId),
        },
        'trace deliver',
      );
    if (this.done.has(task.deliveryId)) {
      this.skippedDone(fresh ? 'fresh' : 'retry');
      return { settled: Promise.resolve() };
    }
    if (orderingLaneOf(task) !== null && fresh) {
      await this.restored;
      const traceparent = message.headers.traceparent?.toString() ?? null;
      const entry = { task, partition: message.partition, seq: Number(message.offset), traceparent };
      return { settled: this.lanes.enqueue(entry) };
    }
    const running = this.handling.get(task.deliveryId);
    if (running) {
      this.joinedInFlight();
      return { settled: running };
    }
    const forget = () => {
      if (this.handling.get(task.deliveryId) === settled) this.handling.delete(task.deliveryId);
    };
    const publish = async (step: DeliveryStep) => {
      // The record parked now is this delivery's next step, not a copy: read back, it is handled.
      if (step.next.kind === 'park') forget();
      if (TRACE_DELIVERIES)
        this.logger.info(
          { deliveryId: task.deliveryId, next: step.next.kind, attempt: step.attempt?.outcome ?? null },
          'trace step',
        );
      await client.sendBatch([
        ...stepMessages(step, client.topics, message.headers.traceparent?.toString()),
        ...healthEventMessages(this.healthEvents.eventsFor(task.webhookId, step), client.topics.events),
      ]);
      // Only once Kafka has it: a failed publish handles the task again, and it must not be skipped.
      if (step.attempt && attemptIsFinal(step.attempt)) this.done.add(task.deliveryId);
    };
    let onQueued!: () => void;
    const queued = new Promise<null>((resolve) => (onQueued = () => resolve(null)));
    const stepped = this.useCase.execute(task, message.headers, onQueued, !fresh);
    // The slot is free once the HTTP exchange is over, or at once while the delivery waits in its
    // webhook's queue; the offset waits for Kafka to have the step.
    const settled: Promise<void> = stepped.then(publish);
    this.handling.set(task.deliveryId, settled);
    settled.then(forget, forget);
    await Promise.race([stepped, queued]);
    return { settled };
  }

  /**
   * One attempt of a lane's head. The lane moves on once the receiver answered: its step and the
   * entry's new state (or tombstone) are written behind it, retried until Kafka has them.
   */
  private async deliverOrdered(entry: OrderedDelivery): Promise<LaneOutcome> {
    const { client } = this.runtime;
    const { task } = entry;
    if (this.done.has(task.deliveryId)) {
      this.skippedDone('ordered');
      this.writeBehind(task.deliveryId, [
        { topic: client.topics.orderedDeliveries, messages: [{ key: task.deliveryId, value: null }] },
      ]);
      return { kind: 'done' };
    }
    const traceparent = entry.traceparent ?? undefined;
    const step = await this.useCase.execute(task, traceparent ? { traceparent } : {});
    // Its write is retried until Kafka has it, so a second read of this delivery may skip it now.
    if (step.attempt && attemptIsFinal(step.attempt)) this.done.add(task.deliveryId);
    const { next } = step;
    const waiting = next.kind === 'park' ? next.task : null;
    const batch = stepMessages({ ...step, next: waiting ? { kind: 'done' } : next }, client.topics, traceparent);
    batch.push({
      topic: client.topics.orderedDeliveries,
      messages: [{ key: task.deliveryId, value: waiting ? { ...entry, task: waiting } : null }],
    });
    this.writeBehind(task.deliveryId, batch);
    return waiting ? { kind: 'wait', task: waiting } : { kind: 'done' };
  }

  /** Writes of one delivery land in the order made; a crash before one lands re-sends that delivery. */
  private writeBehind(deliveryId: string, batch: StepBatch): void {
    const write = async () => {
      for (let delay = 200; !this.stopping; delay = Math.min(delay * 2, 5000)) {
        try {
          return await this.runtime.client.sendBatch(batch);
        } catch (error) {
          this.logger.warn({ err: error, deliveryId }, 'ordered delivery step not written yet; retrying');
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    };
    const previous = this.writes.get(deliveryId);
    const mine = previous ? previous.then(write) : write();
    this.writes.set(deliveryId, mine);
    void mine.finally(() => {
      if (this.writes.get(deliveryId) === mine) this.writes.delete(deliveryId);
    });
  }

  private async mail(notification: Notification): Promise<void> {
    if (await this.mailer!.send(notification)) {
      this.logger.info({ webhookId: notification.webhookId, kind: notification.kind }, 'notification mailed');
    }
  }

  /** No lane starts another attempt once shutdown begins; what is unfinished is read back later. */
  async beforeApplicationShutdown(): Promise<void> {
    this.lanes.close();
    const written = Promise.allSettled([...this.writes.values()]);
    await Promise.race([written, new Promise((resolve) => setTimeout(resolve, 5000).unref())]);
    this.stopping = true;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
    this.mailer?.close();
  }
}

/** Operational events go to `webhooks.events` (key: tenantId) in the step's batch. */
function healthEventMessages(events: EventEnvelope[], topic: string) {
  return events.length === 0 ? [] : [{ topic, messages: events.map((e) => ({ key: e.tenantId, value: e })) }];
}
