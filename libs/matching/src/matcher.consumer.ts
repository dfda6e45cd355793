import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import {
  TopicContracts,
  subscriptionSnapshotSchema,
  type EventEnvelope,
  type SubscriptionSnapshot,
} from '@herald/contracts';
import { KafkaRuntime, onTopic, type CompactedTopicView, type ConsumedMessage } from '@herald/kafka';
import { FanOutEventUseCase } from './fan-out-event.usecase';

/**
 * Loads the webhook view first (so no event is matched against a half-built index), then
 * consumes events. Before each batch the view catches up with the webhook topic, so a
 * webhook whose creation returned before an event was published is always matched.
 */
@Injectable()
export class MatcherConsumer implements OnApplicationBootstrap {
  private view!: CompactedTopicView<SubscriptionSnapshot>;

  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly fanOut: FanOutEventUseCase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const topics = this.runtime.client.topics;
    this.view = this.runtime.view({
      topic: topics.subscriptions,
      groupBase: `${this.runtime.client.settings.topicPrefix}herald-matcher-index`,
      parse: (value) => subscriptionSnapshotSchema.parse(JSON.parse(value.toString('utf8'))),
      onChange: (key, value) => this.fanOut.index.apply(key, value),
    });
    await this.view.start();
    const loop = this.runtime.consume({
      groupId: `${this.runtime.client.settings.topicPrefix}herald-matcher`,
      handlers: [onTopic(TopicContracts.events, (event, message) => this.match(event, message))],
      concurrency: 64,
      commitIntervalMs: 50,
      deadLetterLog: 'event dead-lettered',
      beforeBatch: () => this.view.catchUp(),
    });
    await loop.start();
  }

  private async match(event: EventEnvelope, message: ConsumedMessage): Promise<void> {
    const traceparent = message.headers.traceparent;
    await this.fanOut.execute({ event, headers: traceparent ? { traceparent } : undefined });
  }
}
