import type { EventEnvelope, WebhookStatus } from '@herald/contracts';
import { displayUrl, isOperationalWebhook, operationalEnvelopes } from './operational-event';

/** What subscription-api knows of a webhook before and after a change. */
export interface WebhookFacts {
  id: string;
  tenantId: string;
  name: string;
  url: string;
  events: string[];
  status: WebhookStatus;
  disabledReason: string | null;
  version: number;
}

/**
 * `webhook.disabled` when an ACTIVE webhook becomes INACTIVE (the API: manual) or DISABLED (Herald:
 * automatic), `webhook.enabled` when it becomes ACTIVE again; nothing for other changes.
 */
export function webhookStatusEvents(
  before: WebhookFacts | null,
  after: WebhookFacts | null,
  operatorTenant: string | null | undefined,
  now = new Date(),
): EventEnvelope[] {
  if (!before || !after || before.status === after.status || isOperationalWebhook(after.events)) return [];
  const at = now.toISOString();
  const facts = {
    webhookId: after.id,
    tenantId: after.tenantId,
    webhookName: after.name,
    url: displayUrl(after.url),
  };
  const occurrence = `${after.id}:${after.version}`;
  if (after.status === 'ACTIVE') {
    const previousStatus = before.status as 'INACTIVE' | 'DISABLED';
    return operationalEnvelopes(
      {
        type: 'webhook.enabled',
        occurrence,
        occurredAt: at,
        data: { ...facts, previousStatus, version: after.version, enabledAt: at },
      },
      operatorTenant,
    );
  }
  if (before.status !== 'ACTIVE') return [];
  const automatic = after.status === 'DISABLED';
  return operationalEnvelopes(
    {
      type: 'webhook.disabled',
      occurrence,
      occurredAt: at,
      data: {
        ...facts,
        status: after.status,
        trigger: automatic ? 'automatic' : 'manual',
        reason: automatic ? after.disabledReason : 'deactivated through the API',
        version: after.version,
        disabledAt: at,
      },
    },
    operatorTenant,
  );
}
