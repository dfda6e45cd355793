import { eventTypeMatches } from '@herald/contracts';
import { HeraldError } from './herald-error';
import type { Principal } from './api-access';

// A portal session may be limited to some webhooks and/or event types; API keys see the whole tenant.

/** True when the caller may see this event type (one of the session's types, or a wildcard covering it). */
export function sessionSeesEventType(principal: Principal, eventType: string): boolean {
  const types = principal.session?.eventTypes;
  return !types || types.some((allowed) => eventTypeMatches(allowed, eventType));
}

/** The subscribed types (names or wildcards) the session's event types do not cover; [] for API keys. */
export function eventTypesOutsideSession(principal: Principal, subscribed: string[]): string[] {
  return subscribed.filter((type) => !sessionSeesEventType(principal, type));
}

/** True when the caller may see this webhook: in the session's webhook list and subscribing only to its types. */
export function sessionSeesWebhook(principal: Principal, webhook: { id: string; events: string[] }): boolean {
  const ids = principal.session?.webhookIds;
  if (ids && !ids.includes(webhook.id)) return false;
  return eventTypesOutsideSession(principal, webhook.events).length === 0;
}

/** 403 naming the types when a session limited to event types subscribes to (or tests) others. */
export function assertSessionEventTypes(principal: Principal, events: string[] | undefined): void {
  const outside = eventTypesOutsideSession(principal, events ?? []);
  if (outside.length > 0) {
    throw new HeraldError(
      'forbidden',
      `This portal session is limited to event types ${principal.session!.eventTypes!.join(', ')}; it cannot use ${outside.join(', ')}`,
    );
  }
}

/** A session's event types split for SQL: exact names, and the prefixes of its wildcards (`*` → ''). */
export function sessionEventTypeSql(types: string[]): { names: string[]; prefixes: string[] } {
  const prefixes = types.filter((t) => t === '*' || t.endsWith('.*')).map((t) => t.slice(0, -1));
  return { names: types, prefixes };
}

/** SQL: `column` (an event type or a subscription) is covered by the session's names and wildcard prefixes (placeholders). */
export function coveredBySql(column: string, names: string, prefixes: string): string {
  return `(${column} = ANY(${names}) OR EXISTS (SELECT 1 FROM unnest(CAST(${prefixes} AS text[])) AS p(prefix) WHERE starts_with(${column}, p.prefix)))`;
}

/** A session limited to some webhooks manages those only: creating another would hide it from the session. */
export function assertSessionMayCreateWebhook(principal: Principal): void {
  if (principal.session?.webhookIds) {
    throw new HeraldError('forbidden', 'This portal session is limited to some webhooks and cannot create others');
  }
}
