import { createHash } from 'node:crypto';
import { z } from 'zod';

/** Written by event-ingest only after the event itself is on `webhooks.events`. */
export const idempotencyKeyRecordSchema = z.object({
  eventId: z.string().min(1),
  /** sha256 (hex) of the validated input's canonical JSON: a repeat must match it. */
  fingerprint: z.string().min(1),
  acceptedAt: z.string(),
});
export type IdempotencyKeyRecord = z.infer<typeof idempotencyKeyRecordSchema>;

/** A tenant id never contains "/" (tenantIdSchema), so the first "/" separates the two. */
export function idempotencyRecordKey(tenantId: string, idempotencyKey: string): string {
  return `${tenantId}/${idempotencyKey}`;
}

/** Derived, so a repeat the dedupe window misses keeps its id and downstream dedupes it. */
export function eventIdForIdempotencyKey(tenantId: string, idempotencyKey: string): string {
  return `evt_${createHash('sha256').update(tenantId).update('\0').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}
