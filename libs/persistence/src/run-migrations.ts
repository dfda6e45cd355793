import { Client } from 'pg';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { DatabaseTls } from './database-settings';
import { allMigrations } from './migrations';

/** Arbitrary, fixed key for the advisory lock that serialises migration runs across processes. */
const MIGRATION_LOCK_KEY = 4_812_736_001;

/**
 * Runs pending migrations while holding a PostgreSQL advisory lock on a separate session, so
 * several services starting at once apply each migration exactly once.
 */
export async function runMigrationsLocked(
  dataSource: DataSource,
  url: string,
  tls: DatabaseTls = false,
): Promise<string[]> {
  const lock = new Client({ connectionString: url, ssl: tls });
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await lock.end().catch(() => undefined);
  }
}

export function dataSourceOptions(
  url: string,
  entities: DataSourceOptions['entities'],
  poolSize = 10,
  tls: DatabaseTls = false,
): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    ssl: tls,
    entities,
    migrations: allMigrations,
    migrationsTableName: 'herald_migrations',
    synchronize: false,
    migrationsRun: false,
    logging: false,
    extra: { max: poolSize, connectionTimeoutMillis: 5000 },
  };
}

/** Applies every migration (used by `npm start`, tests and the Helm migration job). */
export async function migrateDatabase(url: string, tls: DatabaseTls = false): Promise<string[]> {
  const dataSource = await new DataSource(dataSourceOptions(url, [], 10, tls)).initialize();
  try {
    return await runMigrationsLocked(dataSource, url, tls);
  } finally {
    await dataSource.destroy();
  }
}
