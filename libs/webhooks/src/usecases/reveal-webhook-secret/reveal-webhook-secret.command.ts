import type { Principal } from '@herald/http';
import type { toSecretResponse } from '../../webhook.dto';

export interface RevealWebhookSecretCommand {
  principal: Principal;
  webhookId: string;
}

export type RevealWebhookSecretResult = ReturnType<typeof toSecretResponse>;
