import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { eventTypeMatches } from '@herald/contracts';
import { badRequest } from '@herald/http';

/**
 * Checks a webhook's `events` against the catalog. A deployment that has declared no event
 * types accepts any name (the catalog is opt-in); once one is declared, every exact name must
 * be a declared, non-deprecated type and every wildcard (`agent.*`) must cover at least one.
 */
@Injectable()
export class EventTypeCatalog {
  constructor(private readonly dataSource: DataSource) {}

  async assertSubscribable(events: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    const rows: { name: string; deprecated: boolean }[] = await manager.query(
      'SELECT name, deprecated FROM event_types',
    );
    if (rows.length === 0) return;
    const current = rows.filter((r) => !r.deprecated).map((r) => r.name);
    const deprecated = new Set(rows.filter((r) => r.deprecated).map((r) => r.name));
    for (const filter of events) {
      if (filter === '*') continue;
      if (filter.endsWith('.*')) {
        if (!current.some((name) => eventTypeMatches(filter, name))) {
          throw badRequest(`events: "${filter}" matches no event type in the catalog (GET /v1/event-types lists them)`);
        }
      } else if (deprecated.has(filter)) {
        throw badRequest(`events: event type "${filter}" is deprecated and cannot be subscribed to`);
      } else if (!current.includes(filter)) {
        throw badRequest(`events: unknown event type "${filter}" (GET /v1/event-types lists them)`);
      }
    }
  }
}
