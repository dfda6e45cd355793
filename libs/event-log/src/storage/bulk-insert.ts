/** One column of a bulk insert: its name, its PostgreSQL type, and how a row gives its value. */
export interface BulkColumn<T> {
  name: string;
  type: 'text' | 'timestamptz' | 'integer' | 'double precision' | 'boolean' | 'jsonb';
  value: (row: T) => unknown;
}

/**
 * `INSERT ... SELECT FROM unnest(...)`: one statement text whatever the batch size (planned once)
 * and no ORM per-row work; `ON CONFLICT DO NOTHING` makes replays harmless.
 */
export function bulkInsert<T>(
  table: string,
  columns: readonly BulkColumn<T>[],
  returning: string,
): { sql: string; params: (rows: readonly T[]) => unknown[][] } {
  const names = columns.map((c) => c.name).join(', ');
  const arrays = columns.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ');
  return {
    sql: `INSERT INTO ${table} (${names}) SELECT * FROM unnest(${arrays}) ON CONFLICT DO NOTHING RETURNING ${returning}`,
    params: (rows) =>
      columns.map((c) =>
        rows.map((row) => {
          const value = c.value(row);
          if (value === null || value === undefined) return null;
          if (c.type === 'jsonb') return JSON.stringify(value);
          return value instanceof Date ? value.toISOString() : value;
        }),
      ),
  };
}
