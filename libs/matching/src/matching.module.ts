import { Inject, Injectable, Module, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { eventEnvelopeSchema, describeIssues, subscriptionSnapshotSchema, type SubscriptionSnapshot } from '@herald/contracts';
import { KafkaRuntime, type CompactedTopicView, type ConsumedMessage } from '@herald/kafka';
import { describeJsonError, LOGGER } from '@herald/observability';
import { FanOutEventUseCase } from './fan-out-event.usecase';

/**
 * Loads the subscription view first (so no event is matched against a half-built index), then
 * consumes events. Before each batch the view catches up with the subscription topic, so a
 * webhook whose creation returned before an event was published is always matched.
 */
@Injectable()
class MatcherConsumers implements OnApplicationBootstrap {
  private view!: CompactedTopicView<SubscriptionSnapshot>;

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
      parse: (value) => subscriptionSnapshotSchema.parse(JSON.parse(value.toString('utf8'))),
      onChange: (key, value) => this.fanOut.index.apply(key, value),
    });
    await this.view.start();
    const loop = this.runtime.consumer({
      groupId: `${this.runtime.client.settings.topicPrefix}herald-matcher`,
      topics: [topics.events],
      concurrency: 64,
      commitIntervalMs: 50,
      beforeBatch: () => this.view.catchUp(),
      handle: (message) => this.handle(message),
    });
    await loop.start();
  }

  private async handle(message: ConsumedMessage): Promise<void> {
    let parsed;
    try {
      parsed = eventEnvelopeSchema.safeParse(JSON.parse(message.value?.toString('utf8') ?? ''));
    } catch (error) {
      return this.deadLetter(message, `value is not valid JSON: ${describeJsonError(error)}`);
    }
    if (!parsed.success) return this.deadLetter(message, `not a valid event envelope: ${describeIssues(parsed.error)}`);
    const traceparent = message.headers.traceparent;
    await this.fanOut.execute({ event: parsed.data, headers: traceparent ? { traceparent } : undefined });
  }

  private async deadLetter(message: ConsumedMessage, reason: string): Promise<void> {
    this.logger.warn({ topic: message.topic, offset: message.offset, key: message.key, reason }, 'event dead-lettered');
    await this.runtime.client.deadLetter(this.runtime.client.topics.eventsDlq, message, reason);
  }
}

@Module({ providers: [FanOutEventUseCase, MatcherConsumers] })
export class MatchingModule {}
