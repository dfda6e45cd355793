import { Injectable } from '@nestjs/common';
import { conflict } from '@herald/http';
import { generateSigningKeyPair } from '@herald/signing';
import { toWebhookResponse } from '../../webhook.dto';
import { lockWebhook, touch } from '../../webhook-mutation';
import { WebhookWriter } from '../../webhook-writer';
import type { RotateWebhookKeyPairCommand, RotateWebhookKeyPairResult } from './rotate-webhook-key-pair.command';

/** A new ed25519 key pair; the public key is returned, the private key never leaves the service. */
@Injectable()
export class RotateWebhookKeyPairUseCase {
  constructor(private readonly writer: WebhookWriter) {}

  execute({ principal, webhookId, expected }: RotateWebhookKeyPairCommand): Promise<RotateWebhookKeyPairResult> {
    return this.writer.write(principal, 'webhook.key_rotated', async (manager) => {
      const webhook = await lockWebhook(manager, principal, webhookId, expected);
      if (!webhook.signatureProfiles.includes('asymmetric')) {
        throw conflict(
          `Webhook ${webhookId} has no key pair: add asymmetric to its signatureProfiles to get v1a signatures`,
        );
      }
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
