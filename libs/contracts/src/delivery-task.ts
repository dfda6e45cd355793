import { z } from 'zod';
import { eventEnvelopeSchema } from './event-envelope';

export const deliveryTriggerSchema = z.enum(['event', 'retry', 'redelivery', 'recovery', 'test']);
export type DeliveryTrigger = z.infer<typeof deliveryTriggerSchema>;

/** One (event, webhook) delivery to attempt, on `webhooks.deliveries` (key: webhookId). */
export const deliveryTaskSchema = z.object({
  deliveryId: z.string(),
  eventId: z.string(),
  webhookId: z.string(),
  tenantId: z.string(),
  /** 1 for the first attempt. */
  attempt: z.number().int().min(1),
  /** Epoch milliseconds before which the attempt must not be made. */
  notBefore: z.number().int(),
  event: eventEnvelopeSchema,
  /** Why this attempt exists: the first fan-out, a scheduled retry, an admin redelivery/recovery, a test send. */
  trigger: deliveryTriggerSchema.default('event'),
  /** For redeliveries and recoveries: the delivery this one resends. */
  replayOf: z.string().nullable().default(null),
  /** When the first attempt of this delivery was made (ISO 8601); drives auto-disable and lag metrics. */
  firstAttemptAt: z.string().nullable().default(null),
});
export type DeliveryTask = z.infer<typeof deliveryTaskSchema>;
export type DeliveryTaskInput = z.input<typeof deliveryTaskSchema>;
