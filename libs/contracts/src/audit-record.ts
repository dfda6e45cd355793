import { z } from 'zod';

/** Who made an admin change: the API key, and the user it acts for when one is known. */
export const auditActorSchema = z.object({
  keyId: z.string(),
  userId: z.string().nullable().default(null),
  userName: z.string().nullable().default(null),
});

/** One admin change on `webhooks.audit` (key: tenantId); `before`/`after` never hold secrets. */
export const auditRecordSchema = z.object({
  /** Unique per change; replaying the topic stores each change once. */
  auditId: z.string().min(1),
  tenantId: z.string().min(1),
  /** ISO 8601. */
  occurredAt: z.string(),
  actor: auditActorSchema,
  /** `<resource>.<verb>`, e.g. `webhook.created`, `webhook.secret_rotated`, `api_key.revoked`. */
  action: z.string().min(1),
  resourceType: z.string().min(1),
  resourceId: z.string().min(1),
  before: z.record(z.string(), z.unknown()).nullable().default(null),
  after: z.record(z.string(), z.unknown()).nullable().default(null),
  /** Correlates with the request's log lines, when known. */
  requestId: z.string().nullable().default(null),
});
export type AuditRecord = z.infer<typeof auditRecordSchema>;
/** What producers write: fields with defaults may be omitted. */
export type AuditRecordInput = z.input<typeof auditRecordSchema>;
