import type { MigrationInterface, QueryRunner } from 'typeorm';

/** First responses of POSTs that carried an `Idempotency-Key`, kept 12 h. */
export class CreateIdempotencyKeys1795392300200 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1795392300200';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        tenant_id     text NOT NULL,
        scope         text NOT NULL,
        idem_key      text NOT NULL,
        request_hash  text NOT NULL,
        response      jsonb,
        created_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, scope, idem_key)
      )`);
    await q.query('CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE idempotency_keys');
  }
}
