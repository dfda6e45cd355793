import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { TopicContracts } from '@herald/contracts';
import { KafkaRuntime, onTopic } from '@herald/kafka';
import { MetricsService, inSpan } from '@herald/observability';
import { attemptRowFrom } from '../attempts/delivery-attempt.entity';
import { auditRowFrom } from '../audit-trail/audit-entry.entity';
import { eventRowFrom } from '../events/event.entity';
import { EventLogStore } from './event-log-store';
import { PartitionMaintenance } from './partition-maintenance.service';

/** While records flow, a fetch waits up to 500 ms for 1 MiB: a few fetches and inserts a second, not one per record. */
export const AUDIT_GATHER = { maxWaitMs: 500, minBytes: 1 << 20 };

/** Commits an offset only after its row is written; unreadable records go to the DLQ with the reason. */
@Injectable()
export class EventLogConsumer implements OnApplicationBootstrap {
  private readonly invalid;

  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly store: EventLogStore,
    private readonly maintenance: PartitionMaintenance,
    metrics: MetricsService,
  ) {
    this.invalid = metrics.counter({
      name: 'herald_event_log_dead_letters_total',
      help: 'Records audit-log could not read and dead-lettered',
      labelNames: ['topic'],
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.maintenance.start();
    const { settings } = this.runtime.client;
    const loop = this.runtime.consume({
      groupId: `${settings.topicPrefix}herald-audit-log`,
      handlers: [
        onTopic(TopicContracts.attempts, (record) =>
          inSpan('store delivery_attempts', {}, () => this.store.addAttempt(attemptRowFrom(record))),
        ),
        onTopic(TopicContracts.events, (event) =>
          inSpan('store messages', {}, () => this.store.addEvent(eventRowFrom(event))),
        ),
        onTopic(TopicContracts.audit, (record) =>
          inSpan('store audit_records', {}, () => this.store.addAudit(auditRowFrom(record))),
        ),
      ],
      concurrency: 500,
      partitionsConsumedConcurrently: settings.partitions,
      // Off the latency path: fetches wait for data to gather (rows readable within ~0.5 s + a write),
      // and inserts are idempotent, so a crash re-reading up to 1 s of records costs nothing.
      gather: AUDIT_GATHER,
      commitIntervalMs: 1000,
      deadLetterLog: 'record dead-lettered',
      deadLettered: (message) => this.invalid.inc({ topic: message.topic }),
    });
    await loop.start();
  }
}
