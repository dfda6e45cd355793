import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { In } from 'typeorm';
import { LOGGER } from '@herald/observability';
import { sealSnapshot, secretBox } from '@herald/secret-box';
import { OutboxWriter } from './outbox/outbox-writer';
import { WebhookEntity } from './webhook.entity';
import { toWebhookSnapshot } from './webhook.dto';

const SEALED_COLUMNS = ['secret', 'previous_secret', 'private_key', 'static_key'];
const BATCH = 200;

/**
 * After a key-encryption-key rotation (or on the first start with encryption), seals every
 * webhook's secrets under the current key, in PostgreSQL and in its `webhooks.subscriptions`
 * snapshot, so the old key can then be dropped. Nothing else about the webhook changes.
 */
@Injectable()
export class SecretReseal implements OnApplicationBootstrap {
  constructor(
    private readonly writer: OutboxWriter,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const count = await this.resealAll();
    if (count > 0)
      this.logger.info({ webhooks: count, keyId: secretBox().currentKeyId }, 'webhook secrets sealed again');
  }

  /** Resolves with the number of webhooks whose secrets were sealed again. */
  async resealAll(): Promise<number> {
    let total = 0;
    for (;;) {
      const done = await this.writer.transact(async (manager) => {
        const prefix = `hsb1:${secretBox().currentKeyId}:%`;
        const stale = SEALED_COLUMNS.map((c) => `(${c} IS NOT NULL AND ${c} NOT LIKE $1)`).join(' OR ');
        const rows: { id: string }[] = await manager.query(
          `SELECT id FROM webhooks WHERE ${stale} ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
          [prefix],
        );
        const webhooks = rows.length ? await manager.findBy(WebhookEntity, { id: In(rows.map((r) => r.id)) }) : [];
        const seal = (v: string | null) => (v === null ? null : secretBox().seal(v));
        // The entity holds them in clear (its columns' transformer opened them).
        for (const w of webhooks) {
          await manager.query(
            'UPDATE webhooks SET secret = $2, previous_secret = $3, private_key = $4, static_key = $5 WHERE id = $1',
            [w.id, seal(w.secret), seal(w.previousSecret), seal(w.privateKey), seal(w.staticKey)],
          );
        }
        return {
          result: webhooks.length,
          messages: webhooks.map((w) => ({
            topic: this.writer.topics.subscriptions,
            key: w.id,
            value: sealSnapshot(toWebhookSnapshot(w), secretBox()),
          })),
        };
      });
      total += done;
      if (done < BATCH) return total;
    }
  }
}
