import type { EntityManager } from 'typeorm';
import type { WebhookSignatureProfile } from '@herald/contracts';
import { HeraldError, badRequest, notFound, sessionSeesWebhook, type Principal } from '@herald/http';
import { generateSigningKeyPair } from '@herald/signing';
import { WebhookEntity } from './webhook.entity';
import { userInfoOf } from './user-info';
import type { WebhooksOptions } from './webhooks.options';

/** The deliverer's DELIVERY_TIMEOUT_MS default. */
const DEFAULT_DELIVERY_TIMEOUT_MS = 5000;

/** The version a conditional request expects, and where it came from (header → 412, body → 409). */
export interface ExpectedVersion {
  version: number;
  from: 'if-match' | 'body';
}

/**
 * Loads a webhook of the caller's tenant for a change, row-locked so concurrent changes run one
 * after the other, and checks the expected version. Another tenant's webhook is "not found".
 */
export async function lockWebhook(
  manager: EntityManager,
  principal: Principal,
  webhookId: string,
  expected?: ExpectedVersion,
): Promise<WebhookEntity> {
  const webhook = await manager.findOne(WebhookEntity, {
    where: { id: webhookId, tenantId: principal.tenantId },
    lock: { mode: 'pessimistic_write' },
  });
  // Outside a portal session's subset it is "not found" too, like another tenant's.
  if (!webhook || !sessionSeesWebhook(principal, webhook)) throw notFound(`Webhook ${webhookId}`);
  if (expected && expected.version !== webhook.version) {
    const message = `Webhook was modified: expected version ${expected.version}, current version is ${webhook.version}`;
    throw expected.from === 'if-match'
      ? new HeraldError('precondition_failed', message)
      : new HeraldError('version_conflict', message);
  }
  return webhook;
}

/** Marks a loaded webhook as changed by the principal (new version, timestamps, user). */
export function touch(webhook: WebhookEntity, principal: Principal, now = new Date()): void {
  webhook.version += 1;
  webhook.updatedAt = now;
  webhook.modifiedBy = userInfoOf(principal);
}

/**
 * Sets the signature profiles; `asymmetric` gets a key pair if the webhook has none. A key pair
 * outlives leaving `asymmetric` (unused, unshown), so opting in again restores the same key.
 */
export function setSignatureProfiles(
  webhook: WebhookEntity,
  profiles: WebhookSignatureProfile[],
  now = new Date(),
): void {
  webhook.signatureProfiles = profiles;
  if (profiles.includes('asymmetric') && (webhook.publicKey === null || webhook.privateKey === null)) {
    Object.assign(webhook, generateSigningKeyPair(), { keyGeneratedAt: now });
  }
}

/** A webhook's own attempt timeout may be shorter than the deployment's budget, never longer. */
export function assertTimeoutWithinBudget(timeoutMs: number | null | undefined, options: WebhooksOptions): void {
  const budget = options.deliveryTimeoutMs ?? DEFAULT_DELIVERY_TIMEOUT_MS;
  if (timeoutMs != null && timeoutMs > budget)
    throw badRequest(`timeoutMs must be at most ${budget} (ms), the deployment's delivery timeout`, {
      field: 'timeoutMs',
      max: budget,
    });
}
