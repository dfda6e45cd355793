import type { Principal } from '@herald/http';
import type { CreateWebhookInput, UpdateWebhookInput } from './webhook.dto';

export interface CreateWebhookCommand {
  principal: Principal;
  input: CreateWebhookInput;
}

export interface UpdateWebhookCommand {
  principal: Principal;
  webhookId: string;
  input: UpdateWebhookInput;
  /** From `If-Match`; takes precedence over `version` in the body. */
  expectedVersion?: number;
}

export interface DeleteWebhookCommand {
  principal: Principal;
  webhookId: string;
  expectedVersion?: number;
}
