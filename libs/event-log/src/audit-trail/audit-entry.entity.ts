import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { AuditRecord } from '@herald/contracts';

/** One admin change from `webhooks.audit`, partitioned by day on `occurred_at`. */
@Entity({ name: 'audit_records' })
export class AuditEntry {
  @PrimaryColumn({ name: 'audit_id', type: 'text' }) auditId!: string;
  @PrimaryColumn({ name: 'occurred_at', type: 'timestamptz' }) occurredAt!: Date;
  @Column({ name: 'tenant_id', type: 'text' }) tenantId!: string;
  @Column({ type: 'jsonb' }) actor!: AuditRecord['actor'];
  @Column({ type: 'text' }) action!: string;
  @Column({ name: 'resource_type', type: 'text' }) resourceType!: string;
  @Column({ name: 'resource_id', type: 'text' }) resourceId!: string;
  @Column({ type: 'jsonb', nullable: true }) before!: Record<string, any> | null;
  @Column({ type: 'jsonb', nullable: true }) after!: Record<string, any> | null;
  @Column({ name: 'request_id', type: 'text', nullable: true }) requestId!: string | null;
}

export function auditRowFrom(record: AuditRecord): AuditEntry {
  return Object.assign(new AuditEntry(), {
    auditId: record.auditId,
    occurredAt: new Date(record.occurredAt),
    tenantId: record.tenantId,
    actor: record.actor,
    action: record.action,
    resourceType: record.resourceType,
    resourceId: record.resourceId,
    before: record.before,
    after: record.after,
    requestId: record.requestId,
  });
}

export function toAuditResponse(row: AuditEntry) {
  return {
    auditId: row.auditId,
    tenantId: row.tenantId,
    occurredAt: row.occurredAt.toISOString(),
    actor: row.actor,
    action: row.action,
    resourceType: row.resourceType,
    resourceId: row.resourceId,
    before: row.before,
    after: row.after,
    requestId: row.requestId,
  };
}
