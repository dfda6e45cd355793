import type { IHeaders } from 'kafkajs';
import type { EventEnvelope, IdempotencyKeyRecord } from '@herald/contracts';
import type { Principal } from '@herald/http';
import type { IngestVia } from '../../ingest-metrics';

export interface IngestEventCommand {
  /** The event as its transport decoded it: a JSON object, not yet validated. */
  raw: Record<string, unknown>;
  via: IngestVia;
  /** The envelope's `source` when the event names none (`http`, `kafka:<topic>`). */
  source: string;
  /** The caller over HTTP: a tenant key publishes only for its own tenant. */
  principal?: Principal;
  /** Headers to carry onto `webhooks.events` (the producer's traceparent). */
  headers?: IHeaders;
}

/** What became of the event; HTTP answers 202/200/409/400, the Kafka consumer dead-letters the last two. */
export type IngestEventResult =
  | { outcome: 'accepted'; event: EventEnvelope }
  | { outcome: 'duplicate'; event: EventEnvelope; first: IdempotencyKeyRecord }
  | { outcome: 'conflict'; event: EventEnvelope; reason: string }
  | { outcome: 'invalid'; reason: string };
