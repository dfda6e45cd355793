import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { KafkaClient } from '@herald/kafka';
import { OutboxMessage } from '@herald/persistence';
import { OutboxRelay } from '../outbox-relay';

/** One Kafka message to publish once the transaction commits; a null value is a tombstone. */
export interface OutboxEntry {
  topic: string;
  key: string;
  value: unknown | null;
}

/** How long a request waits for the relay to publish its own change before returning anyway. */
const FLUSH_WAIT_MS = 3000;

/**
 * Writes a change's Kafka messages as outbox rows in its transaction, then waits for the relay so they are on
 * Kafka when the request returns; with Kafka down the rows are durable and the request still succeeds.
 */
@Injectable()
export class OutboxWriter {
  constructor(
    private readonly dataSource: DataSource,
    private readonly kafka: KafkaClient,
    private readonly relay: OutboxRelay,
  ) {}

  get topics() {
    return this.kafka.topics;
  }

  async transact<T>(change: (manager: EntityManager) => Promise<{ result: T; messages: OutboxEntry[] }>): Promise<T> {
    const { result } = await this.dataSource.transaction(async (manager) => {
      const outcome = await change(manager);
      if (outcome.messages.length > 0) {
        // One row per message, in order: the relay publishes by id, which keeps per-key order.
        for (const m of outcome.messages) {
          await manager.save(manager.create(OutboxMessage, { topic: m.topic, key: m.key, value: m.value }));
        }
      }
      return outcome;
    });
    await Promise.race([this.relay.flush().catch(() => 0), new Promise((r) => setTimeout(r, FLUSH_WAIT_MS))]);
    return result;
  }
}
