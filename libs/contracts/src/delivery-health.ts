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
