import { Injectable } from '@nestjs/common';
import type { Principal } from '@herald/http';
import { touch } from '../../webhook-mutation';
import { WebhookEntity } from '../../webhook.entity';
import { WebhookWriter } from '../../webhook-writer';
import type { DisableWebhookCommand, DisableWebhookResult } from './disable-webhook.command';

/** The deliverer acting on a webhook (410 Gone, failing too long), as recorded in the audit trail. */
export function deliverySystemPrincipal(tenantId: string): Principal {
  return { tenantId, scopes: [], keyId: 'system:deliverer', keyName: 'Herald deliverer' };
}

/**
 * Only a webhook still ACTIVE and no newer than the version the deliverer judged is disabled, so an admin's
 * re-enable made after the deliverer decided always wins.
 */
@Injectable()
export class DisableWebhookUseCase {
  constructor(private readonly writer: WebhookWriter) {}

  execute(request: DisableWebhookCommand): Promise<DisableWebhookResult> {
    const principal = deliverySystemPrincipal(request.tenantId);
    return this.writer.write<DisableWebhookResult>(principal, 'webhook.disabled', async (manager) => {
      const webhook = await manager.findOne(WebhookEntity, {
        where: { id: request.webhookId, tenantId: request.tenantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!webhook || webhook.status !== 'ACTIVE' || webhook.version > request.version) {
        return { result: { disabled: false }, before: null, saved: null };
      }
      const before = { ...webhook };
      webhook.status = 'DISABLED';
      webhook.disabledReason = request.reason;
      touch(webhook, principal);
      const saved = await manager.save(webhook);
      return { result: { disabled: true }, before, saved };
    });
  }
}
