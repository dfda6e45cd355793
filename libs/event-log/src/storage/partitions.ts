import type { DataSource } from 'typeorm';

const day = 86_400_000;

function partitionName(date: Date): string {
  return `delivery_attempts_${date.toISOString().slice(0, 10).replace(/-/g, '')}`;
}

/**
 * Creates the daily partitions of `delivery_attempts` from yesterday to `daysAhead` days out.
 * Idempotent; run at start and then daily.
 */
export async function ensureAttemptPartitions(dataSource: DataSource, now = new Date(), daysAhead = 7): Promise<string[]> {
  const created: string[] = [];
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  for (let offset = -1; offset <= daysAhead; offset++) {
    const from = new Date(today + offset * day);
    const to = new Date(today + (offset + 1) * day);
    const name = partitionName(from);
    const [{ exists }] = await dataSource.query('SELECT to_regclass($1) IS NOT NULL AS exists', [name]);
    if (exists) continue;
    await dataSource.query(
      `CREATE TABLE IF NOT EXISTS ${name} PARTITION OF delivery_attempts FOR VALUES FROM ('${from.toISOString()}') TO ('${to.toISOString()}')`,
    );
    created.push(name);
  }
  return created;
}
