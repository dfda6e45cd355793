import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { routingView } from '@herald/secret-box';
import { TopicContracts, webhookSnapshotSchema, type EventEnvelope, type WebhookSnapshot } from '@herald/contracts';
import { KafkaRuntime, onTopic, type CompactedTopicView, type ConsumedMessage } from '@herald/kafka';
import { FanOutEventUseCase } from './fan-out-event.usecase';

/**
 * The view loads before events are consumed and catches up before each batch, so a webhook
 * whose creation returned before an event was published is always matched.
 */
@Injectable()
export class MatcherConsumer implements OnApplicationBootstrap {
  private view!: CompactedTopicView<WebhookSnapshot>;

  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly fanOut: FanOutEventUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = this.runtime.client.topics;
    this.view = this.runtime.view({
      topic: topics.subscriptions,
      groupBase: `${this.runtime.client.settings.topicPrefix}herald-matcher-index`,
      // Routing needs no secret: the matcher keeps none, not even sealed ones.
      parse: (value) => routingView(webhookSnapshotSchema.parse(JSON.parse(value.toString('utf8')))),
      onChange: (key, value) => this.fanOut.index.apply(key, value),
    });
    await this.view.start();
    const loop = this.runtime.consume({
      groupId: `${this.runtime.client.settings.topicPrefix}herald-matcher`,
      handlers: [onTopic(TopicContracts.events, (event, message) => this.match(event, message))],
      concurrency: 64,
      // Batched commits; a crash re-reads at most ~0.5 s or COMMIT_MAX_EVENTS of events.
      commitIntervalMs: 500,
      deadLetterLog: 'event dead-lettered',
      // Batches of one fetch share a catch-up sent after that fetch returned.
      beforeBatch: (_topic, fetchedAt) => this.view.catchUpSince(fetchedAt),
    });
    await loop.start();
  }

  private async match(event: EventEnvelope, message: ConsumedMessage): Promise<void> {
    const traceparent = message.headers.traceparent;
    await this.fanOut.execute({ event, headers: traceparent ? { traceparent } : undefined });
  }
}
