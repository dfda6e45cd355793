import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { OPERATIONAL_EVENT_TYPES, eventTypeMatches } from '@herald/contracts';
import { badRequest } from '@herald/http';

/**
 * The catalog is opt-in: with no declared types any name passes (the operational types never count); otherwise an exact name must be declared and
 * not deprecated, and a wildcard (`agent.*`) must cover at least one.
 */
@Injectable()
export class EventTypeCatalog {
  constructor(private readonly dataSource: DataSource) {}

  async assertSubscribable(events: string[], manager: EntityManager = this.dataSource.manager): Promise<void> {
    const rows: { name: string; deprecated: boolean }[] = await manager.query(
      'SELECT name, deprecated FROM event_types',
    );
    if (rows.length === 0) return;
    // Herald's operational types are always subscribable.
    const current = [...rows.filter((r) => !r.deprecated).map((r) => r.name), ...OPERATIONAL_EVENT_TYPES];
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
