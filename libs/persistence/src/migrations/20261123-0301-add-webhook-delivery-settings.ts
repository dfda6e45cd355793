import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Per-webhook delivery settings the snapshot carries to the deliverer. */
export class AddWebhookDeliverySettings1795392300100 implements MigrationInterface {
  name = 'AddWebhookDeliverySettings1795392300100';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE webhooks
        ADD COLUMN static_key         text,
        ADD COLUMN signature_profiles text[] NOT NULL DEFAULT '{standard,compat}',
        ADD COLUMN retry_schedule     jsonb,
        ADD COLUMN max_concurrency    integer`);
    // Search by name and filter by status within a tenant.
    await q.query('CREATE INDEX webhooks_tenant_status_idx ON webhooks (tenant_id, status, id)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX webhooks_tenant_status_idx');
    await q.query(`
      ALTER TABLE webhooks
        DROP COLUMN static_key, DROP COLUMN signature_profiles, DROP COLUMN retry_schedule, DROP COLUMN max_concurrency`);
  }
}
