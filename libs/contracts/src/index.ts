/** @herald/contracts — every Kafka message's schema, type, topic and key; validated where read. */
export * from './topics';
export * from './topic-contracts';
export * from './ids';
export * from './event-envelope';
export * from './webhook-snapshot';
export * from './delivery-task';
export * from './ordering';
export * from './attempt-record';
export * from './audit-record';
export * from './event-type';
export * from './api-key-record';
export * from './idempotency-key';
export * from './dead-letter';
export * from './delivery-health';
export * from './webhook-payload';
export * from './version';
export * from './public-routes';
