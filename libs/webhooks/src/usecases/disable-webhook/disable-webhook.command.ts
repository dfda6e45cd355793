import type { DisableWebhookRequest } from '@herald/contracts';

/** The deliverer's request (410 Gone, failing too long), as read from `webhooks.disable-requests`. */
export type DisableWebhookCommand = DisableWebhookRequest;

/** Whether the webhook was disabled (false: an older version, or no longer ACTIVE). */
export interface DisableWebhookResult {
  disabled: boolean;
}
