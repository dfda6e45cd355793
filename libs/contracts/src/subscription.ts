import { z } from 'zod';

export const webhookStatusSchema = z.enum(['ACTIVE', 'INACTIVE', 'DISABLED']);
export type WebhookStatus = z.infer<typeof webhookStatusSchema>;

/**
 * Latest state of one webhook on the compacted `webhooks.subscriptions` topic (key: webhookId).
 * A null value (tombstone) means the webhook was deleted. The matcher uses the routing fields;
 * the deliverer uses the sending fields (url, secrets, headers).
 */
export const subscriptionSnapshotSchema = z.object({
  webhookId: z.string(),
  tenantId: z.string(),
  version: z.number().int(),
  status: webhookStatusSchema,
  url: z.string(),
  events: z.array(z.string()),
  /** Signing secrets, newest first; older ones carry the time they stop being used. */
  secrets: z.array(z.object({ secret: z.string(), expiresAt: z.string().nullable() })),
  headers: z.record(z.string(), z.string()).default({}),
  updatedAt: z.string(),
});
export type SubscriptionSnapshot = z.infer<typeof subscriptionSnapshotSchema>;

/**
 * Event-type filters: exact names, `*` for everything, or a prefix wildcard such as `agent.*`.
 */
export function eventTypeMatches(filter: string, eventType: string): boolean {
  if (filter === '*' || filter === eventType) return true;
  if (filter.endsWith('.*')) return eventType.startsWith(filter.slice(0, -1));
  return false;
}
