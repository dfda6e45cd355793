import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateApiKeys1795392300000 implements MigrationInterface {
  name = 'CreateApiKeys1795392300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE api_keys (
        id          text PRIMARY KEY,
        tenant_id   text NOT NULL,
        name        varchar(100) NOT NULL,
        scopes      text[] NOT NULL,
        key_hash    text NOT NULL UNIQUE,
        key_prefix  text NOT NULL,
        created_by  jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      )`);
    await q.query('CREATE INDEX api_keys_tenant_idx ON api_keys (tenant_id, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE api_keys');
  }
}
