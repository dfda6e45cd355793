import { z } from 'zod';
import { eventEnvelopeSchema } from './event-envelope';

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
});
export type DeliveryTask = z.infer<typeof deliveryTaskSchema>;
