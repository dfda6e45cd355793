import { Injectable } from '@nestjs/common';
import { TopicContracts, deliveryIdFor, type DeliveryTask } from '@herald/contracts';
import { KafkaClient } from '@herald/kafka';
import { MetricsService } from '@herald/observability';
import type { FanOutEventCommand, FanOutEventResult } from './fan-out-event.command';
import { WebhookFilterRunner } from './webhook-filter';
import { WebhookIndex } from './webhook-index';

/** One delivery task per matching active webhook, published before the event's offset is committed. */
@Injectable()
export class FanOutEventUseCase {
  readonly index: WebhookIndex;
  private readonly fannedOut;
  private readonly unmatched;

  constructor(
    private readonly kafka: KafkaClient,
    metrics: MetricsService,
    filters: WebhookFilterRunner,
  ) {
    this.index = new WebhookIndex(filters);
    this.fannedOut = metrics.counter({
      name: 'herald_deliveries_fanned_out_total',
      help: 'Delivery tasks produced by the matcher',
    });
    this.unmatched = metrics.counter({
      name: 'herald_events_unmatched_total',
      help: 'Events with no matching active webhook',
    });
  }

  async execute({ event, headers }: FanOutEventCommand): Promise<FanOutEventResult> {
    const webhooks = this.index.match(event);
    if (webhooks.length === 0) {
      this.unmatched.inc();
      return { tasks: [] };
    }
    const now = Date.now();
    const tasks = webhooks.map((webhook): DeliveryTask => ({
      deliveryId: deliveryIdFor(event.eventId, webhook.webhookId),
      eventId: event.eventId,
      webhookId: webhook.webhookId,
      tenantId: event.tenantId,
      attempt: 1,
      notBefore: now,
      event,
      trigger: 'event',
      replayOf: null,
      firstAttemptAt: null,
    }));
    await this.kafka.publish(TopicContracts.deliveries, tasks, headers);
    this.fannedOut.inc(tasks.length);
    return { tasks };
  }
}
