import { sessionEventTypeSql, type Principal } from '@herald/http';

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
  if (session?.eventTypes && columns.eventType) {
    const { names, prefixes } = sessionEventTypeSql(session.eventTypes);
    const column = columns.eventType;
    where.push(
      `(${column} = ANY(${bind(names)}) OR EXISTS (SELECT 1 FROM unnest(CAST(${bind(prefixes)} AS text[])) AS p(prefix) WHERE starts_with(${column}, p.prefix)))`,
    );
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
