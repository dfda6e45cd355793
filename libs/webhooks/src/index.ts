/**
 * @herald/webhooks — the subscription API: webhooks, tenant API keys, the event-type catalog, the admin audit
 * trail, and the outbox relay that publishes every change to Kafka.
 */
export * from './webhook.entity';
export * from './webhook.dto';
export * from './outbox-relay';
export * from './webhooks.module';
export * from './webhooks.options';
export * from './subscription-api.config';
export * from './grpc/admin-grpc';
export * from './grpc/admin-grpc-client';
export * from './usecases';
export * from './webhook-queries';
export * from './api-keys/api-key-token';
export * from './api-keys/api-key-record';
export * from './event-types/event-type.dto';
export * from './profile-api-schemas';
