import { Injectable } from '@nestjs/common';
import { notFound, sessionSeesWebhook } from '@herald/http';
import { auditEntry } from '../../audit/audit-entry';
import { OutboxWriter } from '../../outbox/outbox-writer';
import { WebhookEntity } from '../../webhook.entity';
import { toSecretResponse } from '../../webhook.dto';
import type { RevealWebhookSecretCommand, RevealWebhookSecretResult } from './reveal-webhook-secret.command';

/**
 * "Copy secret": returns the signing secret(s) and the X-KEY value. A read, but of a credential,
 * so it leaves an audit record (without the secret) like a change does.
 */
@Injectable()
export class RevealWebhookSecretUseCase {
  constructor(private readonly writer: OutboxWriter) {}

  execute({ principal, webhookId }: RevealWebhookSecretCommand): Promise<RevealWebhookSecretResult> {
    return this.writer.transact(async (manager) => {
      const webhook = await manager.findOne(WebhookEntity, { where: { id: webhookId, tenantId: principal.tenantId } });
      if (!webhook || !sessionSeesWebhook(principal, webhook)) throw notFound(`Webhook ${webhookId}`);
      const audit = auditEntry(this.writer.topics, {
        principal,
        action: 'webhook.secret_revealed',
        resourceType: 'webhook',
        resourceId: webhook.id,
        before: null,
        after: null,
      });
      return { result: toSecretResponse(webhook), messages: [audit] };
    });
  }
}
