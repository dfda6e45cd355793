import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateWebhooks1795392000000 implements MigrationInterface {
  name = 'CreateWebhooks1795392000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id                     text PRIMARY KEY,
        tenant_id              text NOT NULL,
        name                   varchar(50) NOT NULL,
        url                    varchar(500) NOT NULL,
        description            text,
        events                 text[] NOT NULL,
        status                 text NOT NULL CHECK (status IN ('ACTIVE', 'INACTIVE', 'DISABLED')),
        disabled_reason        text,
        technical_contact_id   text,
        failure_email          text,
        headers                jsonb NOT NULL DEFAULT '{}',
        rate_limit_per_second  integer,
        metadata               jsonb NOT NULL DEFAULT '{}',
        secret                 text NOT NULL,
        previous_secret        text,
        previous_secret_expires_at timestamptz,
        public_key             text,
        private_key            text,
        key_generated_at       timestamptz,
        version                integer NOT NULL DEFAULT 1,
        created_by             jsonb NOT NULL,
        modified_by            jsonb NOT NULL,
        created_at             timestamptz NOT NULL DEFAULT now(),
        updated_at             timestamptz NOT NULL DEFAULT now(),
        last_triggered_at      timestamptz
      )`);
    await q.query('CREATE INDEX webhooks_tenant_idx ON webhooks (tenant_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE webhooks');
  }
}
