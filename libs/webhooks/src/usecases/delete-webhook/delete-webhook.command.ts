import type { Principal } from '@herald/http';
import type { ExpectedVersion } from '../../webhook-mutation';

export interface DeleteWebhookCommand {
  principal: Principal;
  webhookId: string;
  expected?: ExpectedVersion;
}

/** The deleted webhook's id (its snapshot becomes a tombstone). */
export interface DeleteWebhookResult {
  deletedId: string;
}
