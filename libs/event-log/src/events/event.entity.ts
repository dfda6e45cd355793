import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EventEnvelope } from '@herald/contracts';

/**
 * One event as ingested (the canonical envelope from `webhooks.events`), partitioned by day on
 * `received_at`. Kept whole so a replay resends exactly what was first delivered.
 */
@Entity({ name: 'messages' })
export class EventEntity {
  @PrimaryColumn({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @PrimaryColumn({ name: 'event_id', type: 'text' }) eventId!: string;
  @PrimaryColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
  @Column({ name: 'event_type', type: 'text' }) eventType!: string;
  @Column({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ type: 'text' }) source!: string;
  @Column({ name: 'schema_version', type: 'integer' }) schemaVersion!: number;
  @Column({ type: 'jsonb' }) data!: Record<string, any>;
  @Column({ name: 'idempotency_key', type: 'text', nullable: true }) idempotencyKey!: string | null;
}

export function eventRowFrom(event: EventEnvelope): EventEntity {
  return Object.assign(new EventEntity(), {
    tenantId: event.tenantId,
    eventId: event.eventId,
    receivedAt: new Date(event.receivedAt),
    eventType: event.eventType,
    occurredAt: new Date(event.occurredAt),
    source: event.source,
    schemaVersion: event.schemaVersion,
    data: event.data,
    idempotencyKey: event.idempotencyKey ?? null,
  });
}

/** The envelope again, byte-for-byte what the matcher saw (timestamps as stored, in ISO form). */
export function envelopeFrom(row: EventEntity): EventEnvelope {
  return {
    eventId: row.eventId,
    eventType: row.eventType,
    tenantId: row.tenantId,
    occurredAt: row.occurredAt.toISOString(),
    receivedAt: row.receivedAt.toISOString(),
    source: row.source,
    schemaVersion: row.schemaVersion,
    data: row.data,
    ...(row.idempotencyKey ? { idempotencyKey: row.idempotencyKey } : {}),
  };
}
