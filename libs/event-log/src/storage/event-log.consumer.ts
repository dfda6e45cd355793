import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { TopicContracts } from '@herald/contracts';
import { KafkaRuntime, onTopic } from '@herald/kafka';
import { MetricsService, inSpan } from '@herald/observability';
import { attemptRowFrom } from '../attempts/delivery-attempt.entity';
import { auditRowFrom } from '../audit-trail/audit-entry.entity';
import { eventRowFrom } from '../events/event.entity';
import { EventLogStore } from './event-log-store';
import { PartitionMaintenance } from './partition-maintenance.service';

/**
 * Stores attempts (`webhooks.attempts`), events (`webhooks.events`) and admin changes
 * (`webhooks.audit`). A message's offset is committed only after its row is written; a record
 * that cannot be read goes to `webhooks.event-log.dlq` with the reason.
 */
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
      commitIntervalMs: 100,
      deadLetterLog: 'record dead-lettered',
      deadLettered: (message) => this.invalid.inc({ topic: message.topic }),
    });
    await loop.start();
  }
}
