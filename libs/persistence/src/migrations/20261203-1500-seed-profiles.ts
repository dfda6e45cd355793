import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Seed profiles: the payload's tenant field per webhook, and each tenant's contacts directory (technicalContactId). */
export class SeedProfiles1795393500000 implements MigrationInterface {
  name = 'SeedProfiles1795393500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE webhooks ADD COLUMN payload_tenant_field text NOT NULL DEFAULT 'tenantId'
         CHECK (payload_tenant_field IN ('tenantId', 'appUid'))`,
    );
    await q.query(`
      CREATE TABLE tenant_contacts (
        tenant_id   text NOT NULL,
        id          text NOT NULL,
        name        text NOT NULL,
        email       text NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tenant_contacts');
    await q.query('ALTER TABLE webhooks DROP COLUMN payload_tenant_field');
  }
}
