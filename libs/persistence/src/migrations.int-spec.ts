import { Client } from 'pg';
import { createTestDatabase } from '@herald/testing';
import { allMigrations, migrateDatabase } from './index';

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
});
