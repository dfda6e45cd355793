/**
 * @herald/webhooks — the webhook resource: storage, validation, admin use cases, the REST
 * controller and the outbox relay that publishes every change to `webhooks.subscriptions`.
 */
export * from './webhook-endpoint.entity';
export * from './webhook.dto';
export * from './outbox-relay';
export * from './webhooks.module';
