import { Injectable } from '@nestjs/common';
import { toWebhookResponse } from '../../webhook.dto';
import { lockWebhook, touch } from '../../webhook-mutation';
import { WebhookWriter } from '../../webhook-writer';
import type { SetWebhookStatusCommand, SetWebhookStatusResult } from './set-webhook-status.command';

/** Activate/deactivate: the admin switch. Re-activating also clears a system DISABLED state. */
@Injectable()
export class SetWebhookStatusUseCase {
  constructor(private readonly writer: WebhookWriter) {}

  execute({ principal, webhookId, active, expected }: SetWebhookStatusCommand): Promise<SetWebhookStatusResult> {
    return this.writer.write(principal, active ? 'webhook.activated' : 'webhook.deactivated', async (manager) => {
      const webhook = await lockWebhook(manager, principal, webhookId, expected);
      const before = { ...webhook };
      webhook.status = active ? 'ACTIVE' : 'INACTIVE';
      webhook.disabledReason = null;
      touch(webhook, principal);
      const saved = await manager.save(webhook);
      return { result: toWebhookResponse(saved), before, saved };
    });
  }
}
