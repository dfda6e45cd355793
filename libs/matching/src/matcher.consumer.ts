import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { routingView } from '@herald/secret-box';
import { TopicContracts, webhookSnapshotSchema, type EventEnvelope, type WebhookSnapshot } from '@herald/contracts';
import {
  KafkaRuntime,
  KeyLanes,
  onTopic,
  type CompactedTopicView,
  type ConsumedMessage,
  type Settling,
} from '@herald/kafka';
import { LOGGER } from '@herald/observability';
import type { FanOutEventCommand } from './fan-out-event.command';
import { FanOutEventUseCase } from './fan-out-event.usecase';
import { MATCH_CHECK, MatchCheck } from './match-check';

// An event is matched at once; its offset waits for a later catch-up (MatchCheck), and if the view moved
// meanwhile it is matched again: a webhook whose creation returned before the event was published is
// always matched. While the view has moved, events wait for a check first (per-webhook order).
@Injectable()
export class MatcherConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private view!: CompactedTopicView<WebhookSnapshot>;
  private check!: MatchCheck;
  /** Per (tenant, orderingKey): tasks published in event order; a failed publish retried before the next. */
  private readonly keyed = new KeyLanes();

  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly fanOut: FanOutEventUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = this.runtime.client.topics;
    this.view = this.runtime.view({
      topic: topics.subscriptions,
      groupBase: `${this.runtime.client.settings.topicPrefix}herald-matcher-index`,
      // Routing needs no secret: the matcher keeps none, not even sealed ones.
      parse: (value) => routingView(webhookSnapshotSchema.parse(JSON.parse(value.toString('utf8')))),
      onChange: (key, value) => {
        this.fanOut.index.apply(key, value);
        this.check.changed();
      },
    });
    this.check = new MatchCheck(this.view, {
      ...MATCH_CHECK,
      onError: (error) => this.logger.warn({ err: error }, 'webhook view catch-up failed; retrying'),
    });
    await this.view.start();
    const loop = this.runtime.consume({
      groupId: `${this.runtime.client.settings.topicPrefix}herald-matcher`,
      handlers: [onTopic(TopicContracts.events, (event, message) => this.match(event, message))],
      concurrency: 64,
      // Batched commits; a crash re-reads at most ~0.5 s (+ a check) or COMMIT_MAX_EVENTS of events.
      commitIntervalMs: 500,
      deadLetterLog: 'event dead-lettered',
    });
    await loop.start();
  }

  onApplicationShutdown(): void {
    this.check.stop();
    this.keyed.stop();
  }

  private async match(event: EventEnvelope, message: ConsumedMessage): Promise<Settling> {
    const traceparent = message.headers.traceparent;
    const command = { event, headers: traceparent ? { traceparent } : undefined };
    // Later events reach a changed webhook only after the earlier ones had their second look.
    if (this.check.dirty) await this.check.check(this.view.version, true);
    // Registered before the match, and its follow-up attached before any await: checks resolve in
    // call order, so an earlier event's late tasks are published before a later event's.
    const checked = this.check.check(this.view.version);
    let reached: Set<string> | null = null;
    const run = () => this.fanOut.execute(command, (ids) => (reached = new Set(ids)));
    const executed = event.orderingKey ? this.keyed.run(`${event.tenantId}|${event.orderingKey}`, run) : run();
    const settled = checked.then(async (changed) => {
      // Not matched yet (its id was in flight elsewhere): the publish tells.
      const result = reached ? null : await executed.catch(() => null);
      const ids = reached ?? (result && !result.repeated ? new Set(result.tasks.map((t) => t.webhookId)) : null);
      if (changed && ids) await this.publishLate(command, ids);
    });
    try {
      await executed;
    } catch (error) {
      // Retried whole by the loop; this attempt's check is not waited for.
      settled.catch(() => undefined);
      throw error;
    }
    return { settled };
  }

  /** Late tasks are retried here: a re-read event would be taken for a repeat and not looked at again. */
  private async publishLate(command: FanOutEventCommand, reached: Set<string>): Promise<void> {
    for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
      try {
        await this.fanOut.fanOutMore(command, reached);
        return;
      } catch (error) {
        this.logger.warn({ err: error, eventId: command.event.eventId }, 'late fan-out failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }
}
