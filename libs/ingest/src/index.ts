/**
 * @herald/ingest — publishes what services send (Kafka or `POST /v1/events`) as canonical events;
 * invalid input goes to the DLQ or gets a 4xx; repeated idempotency keys are not republished.
 */
export * from './ingest.options';
export * from './usecases/ingest-event/ingest-event.command';
export * from './usecases/ingest-event/ingest-event.usecase';
export * from './ingest.module';
export * from './kafka-api-key.resolver';
export * from './event-tenant';
export * from './openapi/api-operations';
