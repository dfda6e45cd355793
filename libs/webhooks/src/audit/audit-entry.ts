import { newId, type AuditRecordInput, type TopicNames } from '@herald/contracts';
import type { Principal } from '@herald/http';
import type { OutboxEntry } from '../outbox/outbox-writer';

export interface AuditChange {
  principal: Principal;
  /** `<resource>.<verb>`, e.g. `webhook.updated`. */
  action: string;
  resourceType: string;
  resourceId: string;
  /** The resource as the API shows it, never with a secret or private key. */
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

/** The `webhooks.audit` record of one admin change (key: tenantId), as an outbox row. */
export function auditEntry(topics: TopicNames, change: AuditChange, now = new Date()): OutboxEntry {
  const value: AuditRecordInput = {
    auditId: newId('msg').replace(/^msg_/, 'aud_'),
    tenantId: change.principal.tenantId,
    occurredAt: now.toISOString(),
    actor: {
      keyId: change.principal.keyId,
      userId: change.principal.keyId,
      userName: change.principal.keyName ?? null,
    },
    action: change.action,
    resourceType: change.resourceType,
    resourceId: change.resourceId,
    before: change.before,
    after: change.after,
  };
  return { topic: topics.audit, key: change.principal.tenantId, value };
}
