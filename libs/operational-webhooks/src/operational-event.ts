import { z } from 'zod';
import {
  OPERATIONAL_EVENT_SOURCE,
  eventIdForIdempotencyKey,
  eventTypeMatches,
  isOperationalEventType,
  OPERATIONAL_EVENT_TYPES,
  operationalEventDataSchemas,
  tenantIdSchema,
  type EventEnvelope,
  type OperationalEventData,
  type OperationalEventType,
} from '@herald/contracts';

/** OPERATIONAL_WEBHOOKS_TENANT: the tenant that receives every tenant's operational events (unset: none). */
export const operationalWebhooksEnv = {
  OPERATIONAL_WEBHOOKS_TENANT: tenantIdSchema.optional(),
};

export interface OperationalEventSpec<K extends OperationalEventType> {
  type: K;
  data: OperationalEventData[K];
  occurredAt: string;
  /** Identifies the occurrence (e.g. a webhook version or a delivery id): a repeat keeps its event id. */
  occurrence: string;
}

/**
 * The envelopes of one operational event: one for the webhook's tenant, one for the operator's
 * tenant when configured (and different), each with an id derived from the occurrence.
 */
export function operationalEnvelopes<K extends OperationalEventType>(
  spec: OperationalEventSpec<K>,
  operatorTenant: string | null | undefined,
): EventEnvelope[] {
  const tenants = [spec.data.tenantId];
  if (operatorTenant && operatorTenant !== spec.data.tenantId) tenants.push(operatorTenant);
  const receivedAt = new Date().toISOString();
  return tenants.map((tenantId) => ({
    eventId: eventIdForIdempotencyKey(tenantId, `herald:${spec.type}:${spec.occurrence}`),
    eventType: spec.type,
    tenantId,
    occurredAt: spec.occurredAt,
    receivedAt,
    source: OPERATIONAL_EVENT_SOURCE,
    schemaVersion: 1,
    data: spec.data,
  }));
}

/**
 * Loop guard: a webhook subscribed to nothing but operational types (exactly or by a wildcard
 * covering one) is itself an operational webhook; Herald publishes no operational events about it.
 */
export function isOperationalWebhook(events: readonly string[]): boolean {
  return (
    events.length > 0 &&
    events.every((filter) => filter !== '*' && OPERATIONAL_EVENT_TYPES.some((type) => eventTypeMatches(filter, type)))
  );
}

/** A webhook URL as operational events show it: user-info, query and fragment may carry credentials. */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return '';
  }
}

/** Why a tenant may not publish an event type, or null when it may. */
export function reservedEventTypeProblem(eventType: string): string | null {
  return isOperationalEventType(eventType)
    ? `eventType "${eventType}" is reserved: Herald publishes it itself (operational webhooks)`
    : null;
}

const DESCRIPTIONS: Record<OperationalEventType, string> = {
  'webhook.disabled':
    'Herald: a webhook was disabled (through the API, or by Herald after 410 Gone or failing too long)',
  'webhook.enabled': 'Herald: a webhook was enabled again',
  'webhook.failing': "Herald: a webhook's circuit breaker opened after consecutive failures",
  'webhook.recovered': "Herald: a webhook's circuit breaker closed again after a success",
  'delivery.dead_lettered': 'Herald: a delivery exhausted its retries and was dead-lettered',
};

export interface OperationalCatalogEntry {
  name: OperationalEventType;
  description: string;
  /** JSON Schema (draft 2020-12) of the event's `data`. */
  schema: Record<string, unknown>;
  /** When these entries were defined (they are part of Herald, not stored). */
  definedAt: Date;
}

/** The catalog entries of the operational types: always listed, never stored, not deprecable. */
export const OPERATIONAL_CATALOG: readonly OperationalCatalogEntry[] = OPERATIONAL_EVENT_TYPES.map((name) => ({
  name,
  description: DESCRIPTIONS[name],
  schema: z.toJSONSchema(operationalEventDataSchemas[name], { target: 'draft-2020-12' }) as Record<string, unknown>,
  definedAt: new Date('2026-12-03T00:00:00.000Z'),
}));

/** The five as the receiver sees them (the ordinary webhook body), for the OpenAPI document's `webhooks`. */
export const OPERATIONAL_WEBHOOK_DOCS = OPERATIONAL_CATALOG.map((entry) => ({
  name: entry.name,
  summary: entry.description,
  payload: z.strictObject({
    eventId: z.string(),
    event: z.literal(entry.name),
    timestamp: z.string().describe('When it happened (ISO 8601)'),
    tenantId: z.string().describe("The receiving webhook's tenant (the operator's in its copy)"),
    version: z.literal(1),
    data: operationalEventDataSchemas[entry.name],
  }),
}));
