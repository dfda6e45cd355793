import { Client } from 'pg';
import { createTestDatabase } from '@herald/testing';
import type { QueryRunner } from 'typeorm';
import { allMigrations, migrateDatabase } from './index';
import { AsymmetricSignatureProfile1795392700000 } from './migrations/20261203-0700-asymmetric-signature-profile';

jest.setTimeout(60_000);

describe('migrations on real PostgreSQL', () => {
  it('apply once, in order, even when several processes run them at the same time', async () => {
    const url = await createTestDatabase();
    const runs = await Promise.all([migrateDatabase(url), migrateDatabase(url), migrateDatabase(url)]);
    const applied = runs.flat();
    expect(applied).toHaveLength(allMigrations.length);
    expect(await migrateDatabase(url)).toEqual([]);

    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
      );
      const tables = rows.map((r) => r.table_name);
      expect(tables).toEqual(expect.arrayContaining(['webhooks', 'outbox', 'delivery_attempts', 'herald_migrations']));
      const { rows: partitioned } = await client.query(
        "SELECT partstrat FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = 'delivery_attempts'",
      );
      expect(partitioned).toEqual([{ partstrat: 'r' }]);
    } finally {
      await client.end();
    }
  });

  it('marks webhooks that have a key pair and the standard profile as asking for v1a, and only those', async () => {
    const url = await createTestDatabase();
    await migrateDatabase(url);
    const client = new Client({ connectionString: url });
    await client.connect();
    try {
      const insert = (id: string, profiles: string, key: string | null) =>
        client.query(
          `INSERT INTO webhooks (id, tenant_id, name, url, events, status, secret, public_key, private_key, created_by, modified_by, signature_profiles)
           VALUES ($1, 't', 'n', 'https://example.com', '{*}', 'ACTIVE', 's', $2, $2, '{}', '{}', $3)`,
          [id, key, profiles],
        );
      // Rows as they were before the migration: every webhook got a key pair and v1a under `standard`.
      await insert('wh_both', '{standard,compat}', 'k');
      await insert('wh_compat', '{compat}', 'k');
      await insert('wh_nokey', '{standard}', null);
      const runner = { query: (sql: string) => client.query(sql) } as unknown as QueryRunner;
      const migration = new AsymmetricSignatureProfile1795392700000();
      await migration.up(runner);
      await migration.up(runner);
      const { rows } = await client.query('SELECT id, signature_profiles FROM webhooks ORDER BY id');
      expect(rows).toEqual([
        { id: 'wh_both', signature_profiles: ['standard', 'compat', 'asymmetric'] },
        { id: 'wh_compat', signature_profiles: ['compat'] },
        { id: 'wh_nokey', signature_profiles: ['standard'] },
      ]);
      await migration.down(runner);
      expect((await client.query("SELECT signature_profiles FROM webhooks WHERE id = 'wh_both'")).rows).toEqual([
        { signature_profiles: ['standard', 'compat'] },
      ]);
    } finally {
      await client.end();
    }
  });
});
