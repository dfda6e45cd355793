import { z } from 'zod';
import { deliveryTaskSchema, type DeliveryTask } from './delivery-task';

/**
 * A delivery with an orderingKey waiting its turn or its retry, on `webhooks.deliveries.ordered`
 * (key: deliveryId). `seq` is its offset on the deliveries partition `partition`: the key's order.
 */
export const orderedDeliverySchema = z.object({
  task: deliveryTaskSchema,
  partition: z.number().int().min(0),
  seq: z.number().int().min(0),
  traceparent: z.string().nullable().default(null),
});
export type OrderedDelivery = z.infer<typeof orderedDeliverySchema>;

/** The lane a delivery waits in: its webhook and ordering key; null for a delivery without a key. */
export function orderingLaneOf(task: DeliveryTask): string | null {
  const key = task.event.orderingKey;
  // A test send is outside the event stream: it neither waits for nor holds a key.
  return key === undefined || task.trigger === 'test' ? null : `${task.webhookId}|${key}`;
}
