import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Where a recovery job has got to: the last (startedAt, eventId) it scheduled. */
export interface RecoveryCursor {
  startedAt: string;
  eventId: string;
}

/** A recovery job: resend every failed delivery of one webhook since a time, at a bounded rate. */
@Entity({ name: 'recoveries' })
export class Recovery {
  @PrimaryColumn({ name: 'recovery_id', type: 'text' }) recoveryId!: string;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @Column({ name: 'webhook_id', type: 'text' }) webhookId!: string;
  @Column({ type: 'timestamptz' }) since!: Date;
  @Column({ type: 'timestamptz', nullable: true }) until!: Date | null;
  @Column({ name: 'rate_per_second', type: 'integer' }) ratePerSecond!: number;
  @Column({ type: 'text' }) status!: 'running' | 'completed' | 'failed';
  @Column({ type: 'jsonb', nullable: true }) cursor!: RecoveryCursor | null;
  @Column({ type: 'integer' }) scheduled!: number;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  @Column({ name: 'requested_by', type: 'text' }) requestedBy!: string;
  @Column({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}

export function toRecoveryResponse(row: Recovery) {
  return {
    recoveryId: row.recoveryId,
    webhookId: row.webhookId,
    since: row.since.toISOString(),
    until: row.until ? row.until.toISOString() : null,
    ratePerSecond: row.ratePerSecond,
    status: row.status,
    scheduled: row.scheduled,
    error: row.error,
    createdAt: row.createdAt.toISOString(),
    finishedAt: row.finishedAt ? row.finishedAt.toISOString() : null,
  };
}
