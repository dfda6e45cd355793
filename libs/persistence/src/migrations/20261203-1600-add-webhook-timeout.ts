import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A webhook's own attempt timeout (ms; null: the deployment's) and its adaptive concurrency limit in the stats. */
export class AddWebhookTimeout1795393600000 implements MigrationInterface {
  name = 'AddWebhookTimeout1795393600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE webhooks ADD COLUMN timeout_ms integer');
    await q.query('ALTER TABLE webhook_stats ADD COLUMN concurrency_limit integer');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE webhook_stats DROP COLUMN concurrency_limit');
    await q.query('ALTER TABLE webhooks DROP COLUMN timeout_ms');
  }
}
