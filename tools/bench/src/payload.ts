import { webhookPayloadFor, type EventEnvelope } from '@herald/contracts';

export const BENCH_EVENT_TYPE = 'bench.measured';
/** `--filter`: reads the type, data and metadata as a real filter would, and accepts every bench event. */
export const BENCH_FILTER = `event.type == "${BENCH_EVENT_TYPE}" && event.data.seq >= 0.0 && event.metadata.tenantId.startsWith("bench-")`;

/** The event a platform service would publish to the ingest topic. */
export interface BenchEvent {
  eventId: string;
  eventType: string;
  tenantId: string;
  occurredAt: string;
  data: { seq: number; pad: string };
}

function envelope(event: BenchEvent): EventEnvelope {
  return { ...event, receivedAt: event.occurredAt, source: 'bench', schemaVersion: 1 };
}

/** The webhook body Herald POSTs for this event (same shape and serialisation as the deliverer's). */
export function webhookBody(event: BenchEvent): string {
  return JSON.stringify(webhookPayloadFor(envelope(event)));
}

const paddings = new Map<number, string>();

/**
 * Padding that makes the delivered webhook body `bodyBytes` long (ids of typical length), so
 * "1 KiB" and "16 KiB" are sizes on the wire, not of the data field alone.
 */
export function paddingFor(bodyBytes: number): string {
  let pad = paddings.get(bodyBytes);
  if (pad === undefined) {
    const sample: BenchEvent = {
      eventId: 'p0-100000',
      eventType: BENCH_EVENT_TYPE,
      tenantId: 'bench-t0',
      occurredAt: new Date().toISOString(),
      data: { seq: 100000, pad: '' },
    };
    pad = 'x'.repeat(Math.max(0, bodyBytes - Buffer.byteLength(webhookBody(sample))));
    paddings.set(bodyBytes, pad);
  }
  return pad;
}

export function benchEvent(eventId: string, seq: number, tenantId: string, bodyBytes: number): BenchEvent {
  return {
    eventId,
    eventType: BENCH_EVENT_TYPE,
    tenantId,
    occurredAt: new Date().toISOString(),
    data: { seq, pad: paddingFor(bodyBytes) },
  };
}
