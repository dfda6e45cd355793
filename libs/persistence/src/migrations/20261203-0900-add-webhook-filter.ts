import type { MigrationInterface, QueryRunner } from 'typeorm';

/** A webhook's optional payload filter (a CEL expression over the event). */
export class AddWebhookFilter1795392900000 implements MigrationInterface {
  name = 'AddWebhookFilter1795392900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhooks ADD COLUMN IF NOT EXISTS filter text`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhooks DROP COLUMN IF EXISTS filter`);
  }
}
