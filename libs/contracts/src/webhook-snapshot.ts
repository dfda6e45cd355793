import { z } from 'zod';
import { isOperationalEventType } from './delivery-health';

export const webhookStatusSchema = z.enum(['ACTIVE', 'INACTIVE', 'DISABLED']);
export type WebhookStatus = z.infer<typeof webhookStatusSchema>;

/** `standard`: webhook-id/-timestamp/-signature (v1 HMAC, v1a ed25519). `compat`: X-Webhook-* sha256 hex. */
export const signatureProfileSchema = z.enum(['standard', 'compat']);
export type SignatureProfile = z.infer<typeof signatureProfileSchema>;
/**
 * What a webhook asks for in the API: the header families plus `asymmetric` (ed25519 `v1a` in the
 * standard header). The snapshot carries `asymmetric` as its signingKey, so it keeps the old enum.
 */
export const webhookSignatureProfileSchema = z.enum(['standard', 'compat', 'asymmetric']);
export type WebhookSignatureProfile = z.infer<typeof webhookSignatureProfileSchema>;

/** Latest state of one webhook on compacted `webhooks.subscriptions` (key: webhookId); null = deleted. */
export const webhookSnapshotSchema = z.object({
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
  /** CEL payload filter (see @herald/event-filter); null = every event of the listed types. */
  filter: z.string().nullable().default(null),
  /** Display name, used in notifications. */
  name: z.string().default(''),
  /**
   * ed25519 key pair for `v1a` signatures (DER base64: SPKI public, PKCS#8 private); present only
   * when the webhook asks for them (profile `asymmetric`), null otherwise.
   */
  signingKey: z.object({ publicKey: z.string(), privateKey: z.string() }).nullable().default(null),
  /** Value of the optional static `X-KEY` header; null when not configured. */
  staticKey: z.string().nullable().default(null),
  /** Which signature header families to send. */
  signatureProfiles: z.array(signatureProfileSchema).default(['standard', 'compat']),
  /** Per-endpoint send-rate limit (requests/second); null = deployment default. */
  rateLimitPerSecond: z.number().int().positive().nullable().default(null),
  /** Per-endpoint concurrent request cap; null = deployment default. */
  maxConcurrency: z.number().int().positive().nullable().default(null),
  /** Time budget of one attempt (ms); null: the deployment's. The deliverer never exceeds its own budget. */
  timeoutMs: z.number().int().positive().nullable().default(null),
  /** Retry delays in seconds after each failed attempt; null = deployment default schedule. */
  retrySchedule: z.array(z.number().nonnegative()).nullable().default(null),
  /** Who is told about dead letters and automatic disabling. */
  technicalContactId: z.string().nullable().default(null),
  notificationEmail: z.string().nullable().default(null),
  disabledReason: z.string().nullable().default(null),
  /** The payload's name for the tenant (`appUid` for webhooks created under the Mindset profile). */
  payloadTenantField: z.enum(['tenantId', 'appUid']).default('tenantId'),
});
export type WebhookSnapshot = z.infer<typeof webhookSnapshotSchema>;
/** What producers write: fields with defaults may be omitted. */
export type WebhookSnapshotInput = z.input<typeof webhookSnapshotSchema>;

/**
 * Event-type filters: exact names, `*` for everything, or a prefix wildcard such as `agent.*`.
 * `*` leaves out operational events: a webhook receives those only by naming them (`webhook.*`).
 */
export function eventTypeMatches(filter: string, eventType: string): boolean {
  if (filter === eventType) return true;
  if (filter === '*') return !isOperationalEventType(eventType);
  if (filter.endsWith('.*')) return eventType.startsWith(filter.slice(0, -1));
  return false;
}
