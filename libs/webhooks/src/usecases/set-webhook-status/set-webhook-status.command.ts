import type { Principal } from '@herald/http';
import type { WebhookResponse } from '../../webhook.dto';
import type { ExpectedVersion } from '../../webhook-mutation';

export interface SetWebhookStatusCommand {
  principal: Principal;
  webhookId: string;
  /** true: activate (also clears a system DISABLED state); false: deactivate. */
  active: boolean;
  expected?: ExpectedVersion;
}

export type SetWebhookStatusResult = WebhookResponse;
