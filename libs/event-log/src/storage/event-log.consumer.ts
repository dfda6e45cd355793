import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { attemptRecordSchema, auditRecordSchema, describeIssues, eventEnvelopeSchema } from '@herald/contracts';
import { KafkaRuntime, type ConsumedMessage } from '@herald/kafka';
import { describeJsonError, LOGGER, MetricsService, inSpan } from '@herald/observability';
import { attemptRowFrom } from '../attempts/delivery-attempt.entity';
import { auditRowFrom } from '../audit-trail/audit-entry.entity';
import { messageRowFrom } from '../messages/event-message.entity';
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
    @Inject(LOGGER) private readonly logger: Logger,
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
    const { settings, topics } = this.runtime.client;
    const loop = this.runtime.consumer({
      groupId: `${settings.topicPrefix}herald-audit-log`,
      topics: [topics.attempts, topics.events, topics.audit],
      concurrency: 500,
      partitionsConsumedConcurrently: settings.partitions,
      commitIntervalMs: 100,
      handle: (message) => this.handle(message),
    });
    await loop.start();
  }

  private async handle(message: ConsumedMessage): Promise<void> {
    const { topics } = this.runtime.client;
    if (message.topic === topics.attempts) {
      const record = await this.parse(message, attemptRecordSchema, 'attempt record');
      if (record) await inSpan('store delivery_attempts', {}, () => this.store.addAttempt(attemptRowFrom(record)));
    } else if (message.topic === topics.events) {
      const event = await this.parse(message, eventEnvelopeSchema, 'event envelope');
      if (event) await inSpan('store messages', {}, () => this.store.addMessage(messageRowFrom(event)));
    } else if (message.topic === topics.audit) {
      const record = await this.parse(message, auditRecordSchema, 'audit record');
      if (record) await inSpan('store audit_records', {}, () => this.store.addAudit(auditRowFrom(record)));
    }
  }

  private async parse<S extends z.ZodType>(message: ConsumedMessage, schema: S, what: string): Promise<z.infer<S> | null> {
    let raw: unknown;
    try {
      raw = JSON.parse(message.value?.toString('utf8') ?? '');
    } catch (error) {
      await this.deadLetter(message, `value is not valid JSON: ${describeJsonError(error)}`);
      return null;
    }
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      await this.deadLetter(message, `not a valid ${what}: ${describeIssues(parsed.error)}`);
      return null;
    }
    return parsed.data;
  }

  private async deadLetter(message: ConsumedMessage, reason: string): Promise<void> {
    this.logger.warn({ topic: message.topic, offset: message.offset, key: message.key, reason }, 'record dead-lettered');
    this.invalid.inc({ topic: message.topic });
    await this.runtime.client.deadLetter(this.runtime.client.topics.eventLogDlq, message, reason);
  }
}
