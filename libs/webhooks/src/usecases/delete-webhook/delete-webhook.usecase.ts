import { Injectable } from '@nestjs/common';
import { lockWebhook } from '../../webhook-mutation';
import { WebhookWriter } from '../../webhook-writer';
import type { DeleteWebhookCommand, DeleteWebhookResult } from './delete-webhook.command';

@Injectable()
export class DeleteWebhookUseCase {
  constructor(private readonly writer: WebhookWriter) {}

  execute({ principal, webhookId, expected }: DeleteWebhookCommand): Promise<DeleteWebhookResult> {
    return this.writer.write(principal, 'webhook.deleted', async (manager) => {
      const webhook = await lockWebhook(manager, principal, webhookId, expected);
      await manager.delete('webhooks', { id: webhook.id });
      return { result: { deletedId: webhook.id }, before: webhook, saved: null, deletedId: webhook.id };
    });
  }
}
