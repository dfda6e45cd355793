import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AttemptRecord } from '@herald/contracts';

/** One stored delivery attempt (partitioned by day on `started_at`). */
@Entity({ name: 'delivery_attempts' })
export class DeliveryAttempt {
  @PrimaryColumn({ name: 'attempt_id', type: 'text' }) attemptId!: string;
  @PrimaryColumn({ name: 'started_at', type: 'timestamptz' }) startedAt!: Date;
  @Column({ name: 'delivery_id', type: 'text' }) deliveryId!: string;
  @Column({ name: 'event_id', type: 'text' }) eventId!: string;
  @Column({ name: 'event_type', type: 'text' }) eventType!: string;
  @Column({ name: 'webhook_id', type: 'text' }) webhookId!: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @Column({ type: 'integer' }) attempt!: number;
  @Column({ type: 'jsonb' }) request!: AttemptRecord['request'];
  @Column({ type: 'jsonb', nullable: true }) response!: AttemptRecord['response'];
  @Column({ type: 'text' }) outcome!: string;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ name: 'duration_ms', type: 'double precision' }) durationMs!: number;
  @Column({ name: 'next_attempt_at', type: 'timestamptz', nullable: true }) nextAttemptAt!: Date | null;
  @Column({ name: 'dead_lettered', type: 'boolean' }) deadLettered!: boolean;
  /** Not stored with the attempt: carried to the webhook's statistics. */
  concurrencyLimit?: number | null;
}

export function attemptRowFrom(record: AttemptRecord): DeliveryAttempt {
  return Object.assign(new DeliveryAttempt(), {
    attemptId: record.attemptId,
    startedAt: new Date(record.startedAt),
    deliveryId: record.deliveryId,
    eventId: record.eventId,
    eventType: record.eventType,
    webhookId: record.webhookId,
    tenantId: record.tenantId,
    attempt: record.attempt,
    request: record.request,
    response: record.response,
    outcome: record.outcome,
    error: record.error,
    durationMs: record.durationMs,
    nextAttemptAt: record.nextAttemptAt ? new Date(record.nextAttemptAt) : null,
    deadLettered: record.deadLettered,
    ...(record.concurrencyLimit != null ? { concurrencyLimit: record.concurrencyLimit } : {}),
  });
}

/** `body`: the request body, from the record or, when it refers to its event, rebuilt from the stored event. */
export function toAttemptResponse(row: DeliveryAttempt, body: string | null) {
  return {
    attemptId: row.attemptId,
    deliveryId: row.deliveryId,
    eventId: row.eventId,
    eventType: row.eventType,
    webhookId: row.webhookId,
    tenantId: row.tenantId,
    attempt: row.attempt,
    outcome: row.outcome,
    error: row.error,
    startedAt: row.startedAt.toISOString(),
    durationMs: row.durationMs,
    nextAttemptAt: row.nextAttemptAt ? row.nextAttemptAt.toISOString() : null,
    deadLettered: row.deadLettered,
    request: { ...row.request, body },
    response: row.response,
  };
}
