import { z } from 'zod';

export const attemptOutcomeSchema = z.enum([
  'success',
  'http_error',
  'timeout',
  'network',
  'blocked',
  'gone',
  'cancelled',
]);
export type AttemptOutcome = z.infer<typeof attemptOutcomeSchema>;

/**
 * One attempt to deliver, on `webhooks.attempts` (key: webhookId, so co-partitioned with
 * `webhooks.deliveries`). Secrets are redacted.
 */
export const attemptRecordSchema = z.object({
  attemptId: z.string(),
  deliveryId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  webhookId: z.string(),
  tenantId: z.string(),
  attempt: z.number().int().min(1),
  request: z.object({
    url: z.string(),
    method: z.literal('POST'),
    headers: z.record(z.string(), z.string()),
    /** Absent: the body is the event's webhook payload, stored once with the event, not copied here. */
    body: z.string().optional(),
  }),
  response: z
    .object({
      status: z.number().int(),
      headers: z.record(z.string(), z.string()),
      body: z.string(),
      bodyTruncated: z.boolean(),
    })
    .nullable(),
  outcome: attemptOutcomeSchema,
  error: z.string().nullable(),
  startedAt: z.string(),
  durationMs: z.number(),
  nextAttemptAt: z.string().nullable(),
  deadLettered: z.boolean(),
  /** The webhook's adaptive concurrency limit when the attempt was made (absent in older records). */
  concurrencyLimit: z.number().int().positive().nullable().optional(),
});
export type AttemptRecord = z.infer<typeof attemptRecordSchema>;

/** The delivery's last attempt: delivered, gone, not sent, or dead-lettered (no retry is scheduled). */
export function attemptIsFinal(record: { nextAttemptAt?: unknown }): boolean {
  return record.nextAttemptAt === null;
}
