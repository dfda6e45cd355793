import type { EventEnvelope } from './event-envelope';

/** The name the payload gives the tenant: `tenantId`, or `appUid` for webhooks created under the Mindset profile. */
export type PayloadTenantField = 'tenantId' | 'appUid';

/** The JSON body POSTed to a receiver (the tenant under `tenantId`, or `appUid` where the webhook asks). */
export interface WebhookPayload {
  eventId: string;
  event: string;
  timestamp: string;
  tenantId?: string;
  appUid?: string;
  version: number;
  data: Record<string, unknown>;
}

export function webhookPayloadFor(event: EventEnvelope, tenantField: PayloadTenantField = 'tenantId'): WebhookPayload {
  // Built in this order so the body's keys read as the documented payloads do.
  return {
    eventId: event.eventId,
    event: event.eventType,
    timestamp: event.occurredAt,
    [tenantField]: event.tenantId,
    version: event.schemaVersion,
    data: event.data,
  };
}
