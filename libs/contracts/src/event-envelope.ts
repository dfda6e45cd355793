import { z } from 'zod';

const eventTypePattern = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export const eventTypeSchema = z
  .string({ error: 'eventType is required and must be a string' })
  .regex(
    eventTypePattern,
    'eventType must be 1-128 characters of letters, digits, ".", "_", ":" or "-", starting with a letter or digit',
  );

export const tenantIdSchema = z
  .string({ error: 'tenantId is required and must be a string' })
  .min(1, 'tenantId must not be empty')
  .max(128, 'tenantId must be at most 128 characters')
  .regex(/^[A-Za-z0-9_.:-]+$/, 'tenantId may contain only letters, digits, ".", "_", ":" and "-"');

/** Deliveries of one (webhook, orderingKey) reach the receiver one at a time, in publish order. */
export const ORDERING_KEY_MAX_LENGTH = 256;

export const orderingKeySchema = z
  .string({ error: 'orderingKey must be a string' })
  .min(1, 'orderingKey must not be empty')
  .max(ORDERING_KEY_MAX_LENGTH, `orderingKey must be at most ${ORDERING_KEY_MAX_LENGTH} characters`)
  .refine((key) => !/\p{Cc}/u.test(key), 'orderingKey must not contain control characters');

/**
 * What a platform service publishes (to the ingest topic or `POST /v1/events`).
 * Only eventType and tenantId are required; the rest is filled in by event-ingest.
 */
export const ingestEventSchema = z.object({
  eventId: z.string().min(1, 'eventId must not be empty').max(128, 'eventId must be at most 128 characters').optional(),
  eventType: eventTypeSchema,
  tenantId: tenantIdSchema,
  occurredAt: z.iso.datetime({ offset: true, error: 'occurredAt must be an ISO 8601 date-time' }).optional(),
  source: z.string().max(256, 'source must be at most 256 characters').optional(),
  schemaVersion: z.number().int().min(1).optional(),
  data: z.record(z.string(), z.unknown(), { error: 'data must be a JSON object' }).optional(),
  idempotencyKey: z.string().min(1).max(256, 'idempotencyKey must be at most 256 characters').optional(),
  orderingKey: orderingKeySchema
    .optional()
    .describe(
      'Deliveries of events with the same orderingKey reach each webhook one at a time, in publish order, each after the previous one succeeded or was dead-lettered',
    ),
});
export type IngestEvent = z.infer<typeof ingestEventSchema>;

/** The canonical event on `webhooks.events`. Key: tenantId. */
export const eventEnvelopeSchema = z.object({
  eventId: z.string().min(1),
  eventType: eventTypeSchema,
  tenantId: tenantIdSchema,
  occurredAt: z.string(),
  receivedAt: z.string(),
  source: z.string(),
  schemaVersion: z.number().int(),
  data: z.record(z.string(), z.unknown()),
  idempotencyKey: z.string().optional(),
  /** Set: this event's deliveries wait for the previous ones of the same key, per webhook. */
  orderingKey: orderingKeySchema.optional(),
});
export type EventEnvelope = z.infer<typeof eventEnvelopeSchema>;

/** Formats zod issues as one readable line: `field: message; field: message`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join('.');
      return path && !issue.message.startsWith(path) ? `${path}: ${issue.message}` : issue.message;
    })
    .join('; ');
}
