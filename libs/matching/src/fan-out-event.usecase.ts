import { Injectable } from '@nestjs/common';
import { TopicContracts, deliveryIdFor, type DeliveryTask, type WebhookSnapshot } from '@herald/contracts';
import { KafkaClient } from '@herald/kafka';
import { MetricsService } from '@herald/observability';
import type { FanOutEventCommand, FanOutEventResult } from './fan-out-event.command';
import { RecentEvents } from './recent-events';
import { WebhookFilterRunner } from './webhook-filter';
import { WebhookIndex } from './webhook-index';

/** Ids remembered for dedupe: minutes of events at full load, a few MB. */
const RECENT_EVENTS = { max: 50_000, ttlMs: 5 * 60_000 };

/**
 * One delivery task per matching active webhook, published before the event's offset is committed;
 * an event id fanned out lately is not fanned out again.
 */
@Injectable()
export class FanOutEventUseCase {
  readonly index: WebhookIndex;
  private readonly fannedOut;
  private readonly unmatched;
  private readonly repeated;
  private readonly late;
  private readonly recent = new RecentEvents(RECENT_EVENTS);

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
    this.repeated = metrics.counter({
      name: 'herald_events_repeated_total',
      help: 'Envelopes not fanned out because their event id was fanned out moments before',
    });
    this.late = metrics.counter({
      name: 'herald_deliveries_fanned_out_late_total',
      help: 'Delivery tasks added after a check found the webhook view had moved under an event',
    });
  }

  /** `matched` hears the matched webhook ids as soon as they are known, before the tasks are published. */
  async execute(command: FanOutEventCommand, matched?: (webhookIds: string[]) => void): Promise<FanOutEventResult> {
    let result: FanOutEventResult = { tasks: [], repeated: true };
    const ran = await this.recent.once(command.event.eventId, async () => {
      result = await this.fanOut(command, matched);
    });
    if (!ran) this.repeated.inc();
    return result;
  }

  /**
   * Another look at an event once the view caught up: tasks for the webhooks it matches now and
   * did not reach before (`reached`: webhook ids of its earlier tasks).
   */
  async fanOutMore({ event, headers }: FanOutEventCommand, reached: ReadonlySet<string>): Promise<FanOutEventResult> {
    const webhooks = this.index.match(event).filter((webhook) => !reached.has(webhook.webhookId));
    if (webhooks.length === 0) return { tasks: [] };
    const result = await this.publishTasks(event, webhooks, headers);
    this.late.inc(result.tasks.length);
    return result;
  }

  private async fanOut(
    { event, headers }: FanOutEventCommand,
    matched?: (webhookIds: string[]) => void,
  ): Promise<FanOutEventResult> {
    const webhooks = this.index.match(event);
    matched?.(webhooks.map((webhook) => webhook.webhookId));
    if (webhooks.length === 0) {
      this.unmatched.inc();
      return { tasks: [] };
    }
    return this.publishTasks(event, webhooks, headers);
  }

  private async publishTasks(
    event: FanOutEventCommand['event'],
    webhooks: WebhookSnapshot[],
    headers: FanOutEventCommand['headers'],
  ): Promise<FanOutEventResult> {
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
