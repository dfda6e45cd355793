import type { DataSource } from 'typeorm';

const DAY_MS = 86_400_000;

/** The tables partitioned by day; each has a `<table>_default` partition for rows outside the prepared days. */
export const PARTITIONED_TABLES = ['delivery_attempts', 'messages', 'audit_records'] as const;
export type PartitionedTable = (typeof PARTITIONED_TABLES)[number];

const PARTITION_KEY: Record<PartitionedTable, string> = {
  delivery_attempts: 'started_at',
  messages: 'received_at',
  audit_records: 'occurred_at',
};

const startOfDay = (date: Date) => Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());

export function partitionName(table: PartitionedTable, day: Date): string {
  return `${table}_${day.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/**
 * Creates the daily partition of `table` holding `day`, unless it exists. Safe to run from
 * several processes at once (a concurrent create is treated as success).
 */
export async function ensureDailyPartition(
  dataSource: DataSource,
  table: PartitionedTable,
  day: Date,
): Promise<boolean> {
  const from = new Date(startOfDay(day));
  const to = new Date(from.getTime() + DAY_MS);
  const name = partitionName(table, from);
  const [{ exists }] = await dataSource.query('SELECT to_regclass($1) IS NOT NULL AS exists', [name]);
  if (exists) return false;
  try {
    await dataSource.query(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF ${table} FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
  } catch (error) {
    // Two replicas creating the same partition: the loser sees a duplicate; the table is there.
    if (!/already exists/.test((error as Error).message)) throw error;
  }
  return true;
}

/** Creates the partitions of every table from yesterday to `daysAhead` days out. Idempotent. */
export async function ensurePartitions(dataSource: DataSource, now = new Date(), daysAhead = 7): Promise<string[]> {
  const created: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    for (let offset = -1; offset <= daysAhead; offset++) {
      const day = new Date(startOfDay(now) + offset * DAY_MS);
      if (await ensureDailyPartition(dataSource, table, day)) created.push(partitionName(table, day));
    }
  }
  return created;
}

/**
 * Retention: drops every daily partition whose whole day ended more than `retentionDays` ago.
 * Dropping a partition is instant and leaves no dead rows behind, unlike DELETE.
 */
export async function dropExpiredPartitions(
  dataSource: DataSource,
  retentionDays: number,
  now = new Date(),
): Promise<string[]> {
  const cutoff = startOfDay(now) - retentionDays * DAY_MS;
  const dropped: string[] = [];
  for (const table of PARTITIONED_TABLES) {
    const rows: { name: string }[] = await dataSource.query(
      `SELECT c.relname AS name FROM pg_inherits i
         JOIN pg_class c ON c.oid = i.inhrelid
         JOIN pg_class p ON p.oid = i.inhparent
        WHERE p.relname = $1`,
      [table],
    );
    for (const { name } of rows) {
      const match = new RegExp(`^${table}_(\\d{4})(\\d{2})(\\d{2})$`).exec(name);
      if (!match) continue;
      const dayEnd = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + DAY_MS;
      if (dayEnd > cutoff) continue;
      await dataSource.query(`DROP TABLE IF EXISTS ${name}`);
      dropped.push(name);
    }
    // Rows that landed outside the prepared days sit in the default partition: deleted by age.
    await dataSource.query(`DELETE FROM ${table}_default WHERE ${PARTITION_KEY[table]} < $1`, [new Date(cutoff)]);
  }
  await dataSource.query('DELETE FROM delivery_replays WHERE requested_at < $1', [new Date(cutoff)]);
  await dataSource.query(`DELETE FROM recoveries WHERE status <> 'running' AND created_at < $1`, [new Date(cutoff)]);
  return dropped;
}
