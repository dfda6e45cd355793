/**
 * @herald/ingest — turns what platform services publish (Kafka source topics or
 * `POST /v1/events`) into canonical event envelopes on `webhooks.events`; invalid input goes to
 * `webhooks.events.dlq` with the reason (Kafka) or is refused with a 4xx (HTTP). Repeats of an
 * idempotency key within the dedupe window (kept on `webhooks.idempotency-keys`) are not
 * published again.
 */
export * from './ingest.options';
export * from './usecases/ingest-event/ingest-event.command';
export * from './usecases/ingest-event/ingest-event.usecase';
export * from './ingest.module';
export * from './kafka-api-key.resolver';
export * from './event-tenant';
