import type { Principal } from '@herald/http';
import type { WebhookResponse } from '../../webhook.dto';
import type { ExpectedVersion } from '../../webhook-mutation';

export interface RotateWebhookKeyPairCommand {
  principal: Principal;
  webhookId: string;
  expected?: ExpectedVersion;
}

/** The webhook with its new public key (the private key never leaves the service). */
export type RotateWebhookKeyPairResult = WebhookResponse;
