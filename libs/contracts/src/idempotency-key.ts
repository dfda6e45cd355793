import { createHash } from 'node:crypto';
import { z } from 'zod';

/**
 * One accepted (tenant, idempotency key) on the compacted `webhooks.idempotency-keys` topic,
 * written by event-ingest after the event itself is on `webhooks.events`. Key:
 * idempotencyRecordKey(tenantId, idempotencyKey).
 */
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

/**
 * The eventId of an event with an idempotency key and no eventId of its own: derived, so a
 * repeat the dedupe window misses still carries the same id and downstream dedupes it.
 * Same shape as newId('evt'): `evt_` and 32 hex digits.
 */
export function eventIdForIdempotencyKey(tenantId: string, idempotencyKey: string): string {
  return `evt_${createHash('sha256').update(tenantId).update('\0').update(idempotencyKey).digest('hex').slice(0, 32)}`;
}
