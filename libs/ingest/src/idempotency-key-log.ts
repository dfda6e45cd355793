import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { idempotencyKeyRecordSchema, idempotencyKeysTopicSpec, type IdempotencyKeyRecord } from '@herald/contracts';
import { KafkaRuntime, type CompactedTopicView } from '@herald/kafka';
import { LOGGER } from '@herald/observability';
import type { IdempotencyLog } from './idempotency-window';

/** How long a miss waits for the view to apply what other instances wrote before going on. */
const CATCH_UP_TIMEOUT_MS = 5000;

/**
 * Read into the window before ingest consumes or serves, then followed, so every instance and
 * restart sees every instance's keys.
 */
@Injectable()
export class IdempotencyKeyLog implements IdempotencyLog {
  private view: CompactedTopicView<IdempotencyKeyRecord> | null = null;
  /** The last shared catch-up whose failure was logged: one warning per pass, not per waiter. */
  private watchedPass: Promise<void> | null = null;

  constructor(
    private readonly runtime: KafkaRuntime,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Loads every record into `apply` (the window keeps them; the view does not). */
  async start(windowSeconds: number, apply: (key: string, record: IdempotencyKeyRecord | null) => void): Promise<void> {
    const client = this.runtime.client;
    // The topic's retention follows this instance's window (topics are created with the default).
    // Not fatal: expired records are ignored by acceptedAt whatever the retention, and a
    // principal without DescribeConfigs/AlterConfigs should not keep ingest from starting.
    await client
      .alignTopicConfig(
        idempotencyKeysTopicSpec(client.settings.topicPrefix, client.settings.partitions, windowSeconds),
      )
      .catch((error: Error) =>
        this.logger.warn({ err: error, topic: client.topics.idempotencyKeys }, 'could not check the topic configs'),
      );
    this.view = this.runtime.view({
      topic: client.topics.idempotencyKeys,
      groupBase: `${client.settings.topicPrefix}herald-event-ingest-idempotency`,
      parse: (value) => idempotencyKeyRecordSchema.parse(JSON.parse(value.toString('utf8'))),
      onChange: apply,
      keepEntries: false,
    });
    await this.view.start();
  }

  /** Coalesced: concurrent misses share one catch-up. */
  catchUp(): Promise<void> {
    const pass = this.view?.catchUpCoalesced(CATCH_UP_TIMEOUT_MS);
    if (!pass) return Promise.resolve();
    if (pass !== this.watchedPass) {
      this.watchedPass = pass;
      pass.catch((error: Error) => {
        // Going on without it can only republish a repeat, with the same derived eventId.
        this.logger.warn({ err: error }, 'idempotency-key view did not catch up; deduplicating with what it has');
      });
    }
    return pass.catch(() => undefined);
  }

  async write(key: string, record: IdempotencyKeyRecord): Promise<void> {
    try {
      await this.runtime.client.send(this.runtime.client.topics.idempotencyKeys, [{ key, value: record }]);
    } catch (error) {
      // The event is already published and this instance remembers its key; only other
      // instances and a restart miss it, and a repeat they let through keeps its eventId.
      this.logger.warn({ err: error, eventId: record.eventId }, 'idempotency key not recorded on Kafka');
    }
  }
}
