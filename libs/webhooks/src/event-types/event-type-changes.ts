import { HeraldError, type Principal } from '@herald/http';
import { auditEntry } from '../audit/audit-entry';
import type { OutboxEntry, OutboxWriter } from '../outbox/outbox-writer';
import type { EventType } from './event-type.entity';
import { toEventTypeDefinition, toEventTypeResponse } from './event-type.dto';

/** The catalog is shared by every tenant of the deployment, so only the platform operator edits it. */
export function assertOperator(principal: Principal): void {
  if (!principal.bootstrap) {
    throw new HeraldError(
      'forbidden',
      'Only the platform operator (the bootstrap admin key) may change the event-type catalog',
    );
  }
}

/** A catalog change's messages: the definition on `webhooks.event-types` and its audit record. */
export function eventTypeChangeEntries(
  topics: OutboxWriter['topics'],
  change: { principal: Principal; action: string; before: EventType | null; after: EventType },
): OutboxEntry[] {
  const { principal, action, before, after } = change;
  return [
    { topic: topics.eventTypes, key: after.name, value: toEventTypeDefinition(after) },
    auditEntry(topics, {
      principal,
      action,
      resourceType: 'event_type',
      resourceId: after.name,
      before: before ? toEventTypeResponse(before) : null,
      after: toEventTypeResponse(after),
    }),
  ];
}
