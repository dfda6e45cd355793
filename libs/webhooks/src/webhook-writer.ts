import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { KafkaClient } from '@herald/kafka';
import { OutboxMessage } from '@herald/persistence';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { toSubscriptionSnapshot } from './webhook.dto';
import { OutboxRelay } from './outbox-relay';

/**
 * Writes a webhook change and its outbox row in one transaction, then asks the relay to publish
 * it, so the change is on `webhooks.subscriptions` by the time the request returns (unless Kafka
 * is down, in which case the relay keeps retrying and the request still succeeds).
 */
@Injectable()
export class WebhookWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    private readonly relay: OutboxRelay,
  ) {}

  async write<T>(change: (manager: EntityManager) => Promise<{ result: T; saved: WebhookEndpoint | null; deletedId?: string }>): Promise<T> {
    const { result } = await this.dataSource.transaction(async (manager) => {
      const outcome = await change(manager);
      const outbox = manager.create(OutboxMessage, {
        topic: this.kafka.topics.subscriptions,
        key: outcome.saved ? outcome.saved.id : outcome.deletedId!,
        value: outcome.saved ? toSubscriptionSnapshot(outcome.saved) : null,
      });
      await manager.save(outbox);
      return outcome;
    });
    await Promise.race([this.relay.flush().catch(() => 0), new Promise((r) => setTimeout(r, 3000))]);
    return result;
  }
}
