import type { Principal } from '@herald/http';
import type { CreateWebhookInput, UpdateWebhookInput } from './webhook.dto';
import type { ExpectedVersion } from './webhook-mutation';

export interface CreateWebhookCommand {
  principal: Principal;
  input: CreateWebhookInput;
  /** From the `Idempotency-Key` header: repeats within 12 h return the first result. */
  idempotencyKey?: string;
}

export interface WebhookActionCommand {
  principal: Principal;
  webhookId: string;
  expected?: ExpectedVersion;
}

export interface UpdateWebhookCommand extends WebhookActionCommand {
  input: UpdateWebhookInput;
}

export type DeleteWebhookCommand = WebhookActionCommand;

export interface RotateSecretCommand extends WebhookActionCommand {
  /** How long the old secret keeps signing; the deployment default when absent. */
  overlapSeconds?: number;
}
