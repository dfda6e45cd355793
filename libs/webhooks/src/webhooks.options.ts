import type { Resolver } from '@herald/ssrf';

export const WEBHOOKS_OPTIONS = Symbol('WEBHOOKS_OPTIONS');

/** Deployment settings of the webhook resource (from subscription-api's validated config). */
export interface WebhooksOptions {
  /** Most webhooks one tenant may have; creating one more is refused with this number. */
  webhookLimitPerTenant: number;
  /** Refuse `http://` URLs (production). */
  httpsOnly: boolean;
  /** How long the old secret keeps signing after a rotation, unless the request says otherwise. */
  secretRotationOverlapSeconds: number;
  /** CIDR ranges a webhook URL may resolve into even though they are private/loopback/link-local. */
  allowedTargetCidrs: string[];
  /** How webhook hosts are resolved (DNS_SERVERS); the system resolver by default. */
  resolve?: Resolver;
  /** The deliverer's time budget per attempt (ms): a webhook's own `timeoutMs` may not exceed it. */
  deliveryTimeoutMs?: number;
  /** The portal may be framed by listed origins: session cookies are then SameSite=None. */
  portalEmbedding?: boolean;
  /** OPERATIONAL_WEBHOOKS_TENANT: also receives every tenant's `webhook.disabled` / `webhook.enabled`. */
  operationalWebhooksTenant?: string | null;
}
