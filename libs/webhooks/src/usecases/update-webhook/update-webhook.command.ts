import type { Principal } from '@herald/http';
import type { UpdateWebhookInput, WebhookResponse } from '../../webhook.dto';
import type { ExpectedVersion } from '../../webhook-mutation';

export interface UpdateWebhookCommand {
  principal: Principal;
  webhookId: string;
  input: UpdateWebhookInput;
  expected?: ExpectedVersion;
}

export type UpdateWebhookResult = WebhookResponse;
