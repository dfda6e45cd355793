import { z } from 'zod';
import { attemptOutcomeSchema } from './attempt-record';
import { deliveryTaskSchema } from './delivery-task';

/** A delivery whose retry schedule is exhausted, on `webhooks.deliveries.dead-letters` (key: webhookId). */
export const deadLetteredDeliverySchema = z.object({
  task: deliveryTaskSchema,
  lastAttemptId: z.string(),
  lastOutcome: attemptOutcomeSchema,
  lastError: z.string().nullable(),
  attempts: z.number().int().min(1),
  deadLetteredAt: z.string(),
});
export type DeadLetteredDelivery = z.infer<typeof deadLetteredDeliverySchema>;

/**
 * Something a webhook's technical contact must hear about, on `webhooks.notifications`
 * (key: webhookId). Mailed when SMTP is configured; other channels may consume the topic.
 */
export const notificationSchema = z.object({
  notificationId: z.string(),
  kind: z.enum(['delivery.dead_lettered', 'webhook.disabled']),
  tenantId: z.string(),
  webhookId: z.string(),
  webhookName: z.string(),
  webhookUrl: z.string(),
  technicalContactId: z.string().nullable(),
  /** Where to mail it; null when the webhook has no notification address. */
  email: z.string().nullable(),
  /** `webhook.disabled`: why. */
  reason: z.string().nullable().default(null),
  /** `delivery.dead_lettered`: the delivery given up on. */
  delivery: z
    .object({
      deliveryId: z.string(),
      eventId: z.string(),
      eventType: z.string(),
      attempts: z.number().int(),
      lastOutcome: attemptOutcomeSchema,
      lastError: z.string().nullable(),
    })
    .nullable()
    .default(null),
  /** Text written by producers before notifications carried data; the mailer renders it now. */
  subject: z.string().optional(),
  text: z.string().optional(),
  occurredAt: z.string(),
});
export type Notification = z.infer<typeof notificationSchema>;

/**
 * Applied only if the webhook is still ACTIVE at `version` or older, so a re-enable made
 * meanwhile wins.
 */
export const disableWebhookRequestSchema = z.object({
  requestId: z.string(),
  tenantId: z.string(),
  webhookId: z.string(),
  /** The snapshot version the deliverer saw when it decided. */
  version: z.number().int(),
  reason: z.string(),
  requestedAt: z.string(),
});
export type DisableWebhookRequest = z.infer<typeof disableWebhookRequestSchema>;

/**
 * Operational events: Herald publishes them itself on `webhooks.events` about a webhook's health,
 * so they reach webhooks (the tenant's, and the operator's tenant) like any event. Reserved names.
 */
export const OPERATIONAL_EVENT_TYPES = [
  'webhook.disabled',
  'webhook.enabled',
  'webhook.failing',
  'webhook.recovered',
  'delivery.dead_lettered',
] as const;
export type OperationalEventType = (typeof OPERATIONAL_EVENT_TYPES)[number];

export function isOperationalEventType(eventType: string): eventType is OperationalEventType {
  return (OPERATIONAL_EVENT_TYPES as readonly string[]).includes(eventType);
}

/** The source of operational events' envelopes. */
export const OPERATIONAL_EVENT_SOURCE = 'herald';

const instant = z.string().describe('ISO 8601 date-time');

/** What every operational event says about the webhook it concerns. */
const webhookFacts = {
  webhookId: z.string(),
  tenantId: z.string().describe('The tenant that owns the webhook'),
  webhookName: z.string(),
  url: z.string().describe('The webhook URL without user-info, query or fragment (they may carry credentials)'),
};

const lastAttempt = z
  .object({
    attemptId: z.string(),
    outcome: attemptOutcomeSchema,
    status: z.number().int().nullable().describe('HTTP status, null when none was received'),
    error: z.string().nullable(),
  })
  .nullable();

export const operationalEventDataSchemas = {
  'webhook.disabled': z.strictObject({
    ...webhookFacts,
    status: z.enum(['INACTIVE', 'DISABLED']),
    trigger: z.enum(['manual', 'automatic']).describe('manual: through the API; automatic: by Herald'),
    reason: z.string().nullable(),
    version: z.number().int(),
    disabledAt: instant,
  }),
  'webhook.enabled': z.strictObject({
    ...webhookFacts,
    previousStatus: z.enum(['INACTIVE', 'DISABLED']),
    version: z.number().int(),
    enabledAt: instant,
  }),
  'webhook.failing': z.strictObject({
    ...webhookFacts,
    failingSince: instant.nullable().describe('Start of the current run of failures'),
    breakerOpenedAt: instant,
    lastAttempt,
  }),
  'webhook.recovered': z.strictObject({
    ...webhookFacts,
    breakerOpenedAt: instant.nullable(),
    recoveredAt: instant,
    lastAttempt,
  }),
  'delivery.dead_lettered': z.strictObject({
    ...webhookFacts,
    deliveryId: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    attempts: z.number().int().min(1),
    lastOutcome: attemptOutcomeSchema,
    lastStatus: z.number().int().nullable(),
    lastError: z.string().nullable(),
    deadLetteredAt: instant,
  }),
} satisfies Record<OperationalEventType, z.ZodType>;

export type OperationalEventData = {
  [K in OperationalEventType]: z.infer<(typeof operationalEventDataSchemas)[K]>;
};
