import { Inject, Injectable } from '@nestjs/common';
import { generateSecret } from '@herald/signing';
import { lockWebhook, touch } from '../../webhook-mutation';
import { toWebhookResponse } from '../../webhook.dto';
import { WebhookWriter } from '../../webhook-writer';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from '../../webhooks.options';
import type { RotateWebhookSecretCommand, RotateWebhookSecretResult } from './rotate-webhook-secret.command';

/**
 * The old secret keeps signing alongside the new one until the overlap ends, so receivers switch without
 * losing an event; the deliverer drops it at the expiry the snapshot carries.
 */
@Injectable()
export class RotateWebhookSecretUseCase {
  constructor(
    private readonly writer: WebhookWriter,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  execute({
    principal,
    webhookId,
    expected,
    overlapSeconds,
  }: RotateWebhookSecretCommand): Promise<RotateWebhookSecretResult> {
    const overlap = overlapSeconds ?? this.options.secretRotationOverlapSeconds;
    return this.writer.write(principal, 'webhook.secret_rotated', async (manager) => {
      const webhook = await lockWebhook(manager, principal, webhookId, expected);
      const before = { ...webhook };
      const now = new Date();
      webhook.previousSecret = overlap > 0 ? webhook.secret : null;
      webhook.previousSecretExpiresAt = overlap > 0 ? new Date(now.getTime() + overlap * 1000) : null;
      webhook.secret = generateSecret();
      touch(webhook, principal, now);
      const saved = await manager.save(webhook);
      return { result: toWebhookResponse(saved, { includeSecret: true }), before, saved };
    });
  }
}
