import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { MetricsService } from '@herald/observability';
import { DeliveryAttempt } from '../attempts/delivery-attempt.entity';
import { AuditEntry } from '../audit-trail/audit-entry.entity';
import { EventEntity } from '../events/event.entity';
import { BatchWriter } from './batch-writer';
import { bulkInsert, type BulkColumn } from './bulk-insert';
import { UPSERT_WEBHOOK_STATS_SQL, upsertWebhookStatsParams, webhookStatsDeltas } from './webhook-stats-delta';

/**
 * Batched, idempotent writes of everything audit-log stores. Every insert is
 * `ON CONFLICT DO NOTHING` on the record's own id, so replaying a topic changes nothing; the
 * webhook statistics are bumped only for attempts that were really inserted, in the same
 * transaction.
 */
@Injectable()
export class EventLogStore {
  private readonly attempts: BatchWriter<DeliveryAttempt>;
  private readonly events: BatchWriter<EventEntity>;
  private readonly audit: BatchWriter<AuditEntry>;

  constructor(
    private readonly dataSource: DataSource,
    metrics: MetricsService,
  ) {
    const stored = metrics.counter({
      name: 'herald_event_log_rows_stored_total',
      help: 'Rows written by audit-log (replayed duplicates are not counted)',
      labelNames: ['table'],
    });
    this.attempts = new BatchWriter(async (batch) => {
      const rows = dedupe(batch, (a) => a.attemptId);
      const inserted = await this.dataSource.transaction(async (manager) => {
        const result: { attempt_id: string }[] = await manager.query(INSERT_ATTEMPTS.sql, INSERT_ATTEMPTS.params(rows));
        const ids = new Set(result.map((r) => r.attempt_id));
        const fresh = rows.filter((row) => ids.has(row.attemptId));
        const deltas = webhookStatsDeltas(fresh);
        if (deltas.length > 0) await manager.query(UPSERT_WEBHOOK_STATS_SQL, upsertWebhookStatsParams(deltas));
        return fresh.length;
      });
      stored.inc({ table: 'delivery_attempts' }, inserted);
    });
    this.events = new BatchWriter(async (rows) => {
      const result: unknown[] = await this.dataSource.query(
        INSERT_EVENTS.sql,
        INSERT_EVENTS.params(dedupe(rows, eventKey)),
      );
      stored.inc({ table: 'messages' }, result.length);
    });
    this.audit = new BatchWriter(async (rows) => {
      const result = await this.dataSource
        .createQueryBuilder()
        .insert()
        .into(AuditEntry)
        .values(dedupe(rows, auditKey))
        .orIgnore()
        .returning('audit_id')
        .execute();
      stored.inc({ table: 'audit_records' }, (result.raw as unknown[]).length);
    });
  }

  addAttempt(row: DeliveryAttempt): Promise<void> {
    return this.attempts.add(row);
  }

  addEvent(row: EventEntity): Promise<void> {
    return this.events.add(row);
  }

  addAudit(row: AuditEntry): Promise<void> {
    return this.audit.add(row);
  }

  async flush(): Promise<void> {
    await Promise.all([this.attempts.flush(), this.events.flush(), this.audit.flush()]);
  }
}

const attemptColumns: BulkColumn<DeliveryAttempt>[] = [
  { name: 'attempt_id', type: 'text', value: (a) => a.attemptId },
  { name: 'started_at', type: 'timestamptz', value: (a) => a.startedAt },
  { name: 'delivery_id', type: 'text', value: (a) => a.deliveryId },
  { name: 'event_id', type: 'text', value: (a) => a.eventId },
  { name: 'event_type', type: 'text', value: (a) => a.eventType },
  { name: 'webhook_id', type: 'text', value: (a) => a.webhookId },
  { name: 'tenant_id', type: 'text', value: (a) => a.tenantId },
  { name: 'attempt', type: 'integer', value: (a) => a.attempt },
  { name: 'request', type: 'jsonb', value: (a) => a.request },
  { name: 'response', type: 'jsonb', value: (a) => a.response },
  { name: 'outcome', type: 'text', value: (a) => a.outcome },
  { name: 'error', type: 'text', value: (a) => a.error },
  { name: 'duration_ms', type: 'double precision', value: (a) => a.durationMs },
  { name: 'next_attempt_at', type: 'timestamptz', value: (a) => a.nextAttemptAt },
  { name: 'dead_lettered', type: 'boolean', value: (a) => a.deadLettered },
];
const INSERT_ATTEMPTS = bulkInsert('delivery_attempts', attemptColumns, 'attempt_id');

const eventColumns: BulkColumn<EventEntity>[] = [
  { name: 'tenant_id', type: 'text', value: (m) => m.tenantId },
  { name: 'event_id', type: 'text', value: (m) => m.eventId },
  { name: 'received_at', type: 'timestamptz', value: (m) => m.receivedAt },
  { name: 'event_type', type: 'text', value: (m) => m.eventType },
  { name: 'occurred_at', type: 'timestamptz', value: (m) => m.occurredAt },
  { name: 'source', type: 'text', value: (m) => m.source },
  { name: 'schema_version', type: 'integer', value: (m) => m.schemaVersion },
  { name: 'data', type: 'jsonb', value: (m) => m.data },
  { name: 'idempotency_key', type: 'text', value: (m) => m.idempotencyKey },
];
const INSERT_EVENTS = bulkInsert('messages', eventColumns, 'event_id');

const eventKey = (m: EventEntity) => `${m.tenantId}\0${m.eventId}\0${m.receivedAt.toISOString()}`;
const auditKey = (a: AuditEntry) => `${a.auditId}\0${a.occurredAt.toISOString()}`;

/** A batch may hold a redelivered copy of a record; keeping one makes the stats count it once. */
function dedupe<T>(rows: T[], key: (row: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const row of rows) if (!seen.has(key(row))) seen.set(key(row), row);
  return seen.size === rows.length ? rows : [...seen.values()];
}
