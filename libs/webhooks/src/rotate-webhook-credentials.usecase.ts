import { Inject, Injectable } from '@nestjs/common';
import { generateSecret, generateSigningKeyPair } from '@herald/signing';
import type { RotateSecretCommand, WebhookActionCommand } from './webhook-commands';
import { lockWebhook, touch } from './webhook-mutation';
import { toWebhookResponse } from './webhook.dto';
import { WebhookWriter } from './webhook-writer';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';

/**
 * Secret rotation: the new secret signs at once; the old one keeps signing alongside it until
 * the overlap ends (receivers accept either, so they can switch without losing a message).
 * The snapshot carries both secrets with the old one's expiry; the deliverer drops it after.
 */
@Injectable()
export class RotateWebhookSecretUseCase {
  constructor(
    private readonly writer: WebhookWriter,
    @Inject(WEBHOOKS_OPTIONS) private readonly options: WebhooksOptions,
  ) {}

  execute({ principal, webhookId, expected, overlapSeconds }: RotateSecretCommand) {
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

/** A new ed25519 key pair; the public key is returned, the private key never leaves the service. */
@Injectable()
export class RotateWebhookKeyPairUseCase {
  constructor(private readonly writer: WebhookWriter) {}

  execute({ principal, webhookId, expected }: WebhookActionCommand) {
    return this.writer.write(principal, 'webhook.key_rotated', async (manager) => {
      const webhook = await lockWebhook(manager, principal, webhookId, expected);
      const before = { ...webhook };
      const now = new Date();
      const keys = generateSigningKeyPair();
      webhook.publicKey = keys.publicKey;
      webhook.privateKey = keys.privateKey;
      webhook.keyGeneratedAt = now;
      touch(webhook, principal, now);
      const saved = await manager.save(webhook);
      return { result: toWebhookResponse(saved), before, saved };
    });
  }
}
