import { z } from 'zod';
import {
  attemptRecordSchema,
  auditActorSchema,
  auditRecordSchema,
  deliveryTriggerSchema,
  eventTypeSchema,
} from '@herald/contracts';
import { deliveryStatusSchema } from '../events/event-queries';

/**
 * The shapes the audit-log answers with, for the OpenAPI document; built from the topic
 * contracts' schemas, and a unit test parses real answers with them.
 */
const timestamp = z.string().describe('ISO 8601');
const nextCursor = z.string().nullable().describe('Pass as `cursor` for the next page; null on the last');

export const attemptResponseSchema = attemptRecordSchema.extend({
  request: attemptRecordSchema.shape.request.extend({
    body: z.string().nullable().describe('The body sent (rebuilt from the stored event when not copied)'),
  }),
  trigger: z.enum(['event', 'retry', 'redelivery', 'recovery']),
  replayOf: z.string().nullable().describe('The delivery this one replays'),
  recoveryId: z.string().nullable(),
});

export const attemptListSchema = z.object({ data: z.array(attemptResponseSchema), nextCursor });

const eventFields = {
  eventId: z.string(),
  eventType: eventTypeSchema,
  tenantId: z.string(),
  occurredAt: timestamp,
  receivedAt: timestamp,
  source: z.string(),
  schemaVersion: z.number().int(),
  status: deliveryStatusSchema,
};

export const eventSummarySchema = z.object({
  ...eventFields,
  webhooks: z.number().int().describe('How many webhooks it went to'),
});

export const eventListSchema = z.object({ data: z.array(eventSummarySchema), nextCursor });

export const eventDetailSchema = z.object({
  ...eventFields,
  idempotencyKey: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  deliveries: z.array(
    z.object({
      webhookId: z.string(),
      status: deliveryStatusSchema.exclude(['no_deliveries']),
      attempts: z.array(attemptResponseSchema).describe('Oldest first'),
    }),
  ),
});

export const redeliveryResultSchema = z.object({
  eventId: z.string(),
  deliveries: z
    .array(
      z.object({
        deliveryId: z.string(),
        webhookId: z.string(),
        replayOf: z.string().nullable().describe('The original delivery this one replays'),
        trigger: deliveryTriggerSchema,
      }),
    )
    .describe('One new delivery per webhook; their attempts carry trigger `redelivery`'),
});

export const recoveryResponseSchema = z.object({
  recoveryId: z.string(),
  webhookId: z.string(),
  since: timestamp,
  until: timestamp.nullable(),
  ratePerSecond: z.number().int(),
  status: z.enum(['running', 'completed', 'failed']),
  scheduled: z.number().int().describe('Deliveries resent so far'),
  error: z.string().nullable(),
  createdAt: timestamp,
  finishedAt: timestamp.nullable(),
});

export const recoveryListSchema = z.object({
  data: z.array(recoveryResponseSchema).describe('Newest first, at most 100'),
});

export const auditEntrySchema = auditRecordSchema.extend({
  occurredAt: timestamp,
  actor: auditActorSchema.extend({ userId: z.string().nullable(), userName: z.string().nullable() }),
  before: z.record(z.string(), z.unknown()).nullable().describe('The resource before the change; never secrets'),
  after: z.record(z.string(), z.unknown()).nullable(),
  requestId: z.string().nullable(),
});

export const auditListSchema = z.object({ data: z.array(auditEntrySchema), nextCursor });
