import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Seed profiles turned on per tenant, and Mindstamp's account and per-video webhook settings. */
export class MindstampSettings1795393751000 implements MigrationInterface {
  name = 'MindstampSettings1795393751000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE tenant_profiles (
        tenant_id   text NOT NULL,
        profile     text NOT NULL,
        enabled_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, profile)
      )`);
    await q.query(`
      CREATE TABLE mindstamp_accounts (
        tenant_id           text PRIMARY KEY,
        urls                jsonb NOT NULL DEFAULT '{}',
        x_key               text NOT NULL,
        x_key_generated_at  timestamptz NOT NULL DEFAULT now(),
        created_at          timestamptz NOT NULL DEFAULT now(),
        updated_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE mindstamp_videos (
        tenant_id   text NOT NULL,
        video_id    text NOT NULL,
        kinds       jsonb NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (tenant_id, video_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE mindstamp_videos');
    await q.query('DROP TABLE mindstamp_accounts');
    await q.query('DROP TABLE tenant_profiles');
  }
}
