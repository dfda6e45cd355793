import type { SelectQueryBuilder } from 'typeorm';
import { badRequest } from '@herald/http';

/** Keyset cursor over (time, id), opaque to clients. */
export interface TimeCursor {
  time: Date;
  id: string;
}

export function encodeCursor(time: Date, id: string): string {
  return Buffer.from(`${time.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): TimeCursor {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const split = text.indexOf('|');
  const time = new Date(text.slice(0, split));
  const id = text.slice(split + 1);
  if (split < 0 || !id || Number.isNaN(time.getTime()))
    throw badRequest('cursor is not valid (pass nextCursor from the previous page)');
  return { time, id };
}

/** One page of `limit` rows fetched as `limit + 1`: the extra row only says there is more. */
export function page<T, R>(rows: T[], limit: number, key: (row: T) => TimeCursor, present: (row: T) => R) {
  const data = rows.slice(0, limit);
  const last = data[data.length - 1];
  return {
    data: data.map(present),
    nextCursor: rows.length > limit && last ? encodeCursor(key(last).time, key(last).id) : null,
  };
}

/**
 * Newest first over (time, id), `limit + 1` rows, with the `since`/`until` window and the
 * cursor of the previous page applied.
 */
export function newestFirst<Q extends SelectQueryBuilder<any>>(
  qb: Q,
  timeColumn: string,
  idColumn: string,
  query: { since?: string; until?: string; cursor?: string; limit: number },
): Q {
  qb.orderBy(timeColumn, 'DESC')
    .addOrderBy(idColumn, 'DESC')
    .limit(query.limit + 1);
  if (query.since) qb.andWhere(`${timeColumn} >= :since`, { since: query.since });
  if (query.until) qb.andWhere(`${timeColumn} < :until`, { until: query.until });
  if (query.cursor) {
    const c = decodeCursor(query.cursor);
    qb.andWhere(`(${timeColumn}, ${idColumn}) < (:cursorTime, :cursorId)`, { cursorTime: c.time, cursorId: c.id });
  }
  return qb;
}
