import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { newId, type DeliveryTask, type EventEnvelope } from '@herald/contracts';
import { KafkaClient } from '@herald/kafka';
import { MetricsService } from '@herald/observability';
import { DeliveryReplay } from './delivery-replay.entity';

/** One delivery to resend: the event, the webhook, and the original delivery it repeats. */
export interface ReplayTarget {
  event: EventEnvelope;
  webhookId: string;
  replayOf: string;
}

/**
 * For redeliveries and recoveries alike: the link to the original is stored before the tasks are
 * sent, so the replay's attempts always show up linked.
 */
@Injectable()
export class ReplayDeliveries {
  private readonly replayed;

  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    metrics: MetricsService,
  ) {
    this.replayed = metrics.counter({
      name: 'herald_deliveries_replayed_total',
      help: 'Deliveries resent by redelivery or recovery',
      labelNames: ['trigger'],
    });
  }

  async send(
    targets: ReplayTarget[],
    trigger: 'redelivery' | 'recovery',
    requestedBy: string,
    recoveryId: string | null = null,
  ): Promise<DeliveryTask[]> {
    if (targets.length === 0) return [];
    const now = Date.now();
    const tasks = targets.map((t): DeliveryTask => ({
      deliveryId: newId('dlv'),
      eventId: t.event.eventId,
      webhookId: t.webhookId,
      tenantId: t.event.tenantId,
      attempt: 1,
      notBefore: now,
      event: t.event,
      trigger,
      replayOf: t.replayOf,
      firstAttemptAt: null,
    }));
    await this.dataSource.getRepository(DeliveryReplay).insert(
      tasks.map((task) => ({
        deliveryId: task.deliveryId,
        replayOf: task.replayOf!,
        trigger,
        tenantId: task.tenantId,
        eventId: task.eventId,
        webhookId: task.webhookId,
        recoveryId,
        requestedBy,
        requestedAt: new Date(now),
      })),
    );
    await this.kafka.send(
      this.kafka.topics.deliveries,
      tasks.map((task) => ({ key: task.webhookId, value: task })),
    );
    this.replayed.inc({ trigger }, tasks.length);
    return tasks;
  }
}

/**
 * Resolves a delivery id to the delivery it (transitively) replays, so every resend of an
 * event to a webhook points at the first one.
 */
export const ORIGINAL_DELIVERY_SQL = (deliveryColumn: string) =>
  `COALESCE((SELECT r.replay_of FROM delivery_replays r WHERE r.delivery_id = ${deliveryColumn}), ${deliveryColumn})`;
