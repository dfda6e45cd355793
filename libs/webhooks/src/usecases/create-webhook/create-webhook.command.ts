import type { PayloadTenantField } from '@herald/contracts';
import type { Principal } from '@herald/http';
import type { CreateWebhookInput, WebhookResponse } from '../../webhook.dto';

export interface CreateWebhookCommand {
  principal: Principal;
  input: CreateWebhookInput;
  /** From the `Idempotency-Key` header: repeats within 12 h return the first result. */
  idempotencyKey?: string;
  /** Set by an API profile whose payload names the tenant differently (Mindset: `appUid`). */
  payloadTenantField?: PayloadTenantField;
}

/** The created webhook with its secret (shown at creation), or the first response to a repeated key. */
export type CreateWebhookResult = WebhookResponse;
