import { coveredBySql, sessionEventTypeSql, type Principal } from '@herald/http';

/**
 * SQL conditions limiting rows to a portal session's webhooks and event types (none for an API
 * key). `bind` adds a parameter and returns its placeholder.
 */
export function sessionSubsetSql(
  principal: Principal,
  columns: { webhookId?: string; eventType?: string },
  bind: (value: unknown) => string,
): string[] {
  const session = principal.session;
  const where: string[] = [];
  if (session?.webhookIds && columns.webhookId) where.push(`${columns.webhookId} = ANY(${bind(session.webhookIds)})`);
  if (session?.eventTypes) {
    const { names, prefixes } = sessionEventTypeSql(session.eventTypes);
    const [n, p] = [bind(names), bind(prefixes)];
    if (columns.eventType) where.push(coveredBySql(columns.eventType, n, p));
    // The webhook must also subscribe only within the types, as subscription-api shows it (same database).
    if (columns.webhookId) {
      where.push(
        `EXISTS (SELECT 1 FROM webhooks w WHERE w.id = ${columns.webhookId}
           AND NOT EXISTS (SELECT 1 FROM unnest(w.events) AS f(name) WHERE NOT ${coveredBySql('f.name', n, p)}))`,
      );
    }
  }
  return where;
}

/** The same for a TypeORM query builder (named parameters). */
export function sessionSubsetWhere(
  principal: Principal,
  columns: { webhookId?: string; eventType?: string },
): { sql: string; params: Record<string, unknown> } | null {
  const params: Record<string, unknown> = {};
  const where = sessionSubsetSql(principal, columns, (value) => {
    const name = `session${Object.keys(params).length}`;
    params[name] = value;
    return `:${name}`;
  });
  return where.length > 0 ? { sql: where.join(' AND '), params } : null;
}

/** Which of these webhooks the caller may see (all of them for an API key). */
export async function visibleWebhooks(
  db: { query: (sql: string, params: unknown[]) => Promise<{ id: string }[]> },
  principal: Principal,
  webhookIds: string[],
): Promise<Set<string>> {
  if (!principal.session) return new Set(webhookIds);
  const params: unknown[] = [webhookIds];
  const where = sessionSubsetSql(principal, { webhookId: 'ids.id' }, (value) => `$${params.push(value)}`);
  const rows = await db.query(
    `SELECT ids.id FROM unnest(CAST($1 AS text[])) AS ids(id) ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}`,
    params,
  );
  return new Set(rows.map((r) => r.id));
}
