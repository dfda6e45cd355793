import type { EventEnvelope } from './event-envelope';

/** The JSON body POSTed to a receiver. */
export interface WebhookPayload {
  eventId: string;
  event: string;
  timestamp: string;
  tenantId: string;
  version: number;
  data: Record<string, unknown>;
}

export function webhookPayloadFor(event: EventEnvelope): WebhookPayload {
  return {
    eventId: event.eventId,
    event: event.eventType,
    timestamp: event.occurredAt,
    tenantId: event.tenantId,
    version: event.schemaVersion,
    data: event.data,
  };
}
