/**
 * @herald/matching — the matcher: an in-memory index of webhooks rebuilt from the compacted
 * `webhooks.subscriptions` topic, and the fan-out of each event to one delivery task per
 * matching active webhook whose payload filter (if any) accepts the event.
 */
export * from './webhook-index';
export * from './webhook-filter';
export * from './fan-out-event.command';
export * from './fan-out-event.usecase';
export * from './matching.module';
