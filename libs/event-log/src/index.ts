/**
 * @herald/event-log — the audit-log service's behaviour: stores every event
 * (`webhooks.events`), delivery attempt (`webhooks.attempts`) and admin change
 * (`webhooks.audit`) in PostgreSQL — idempotently, in batches, in daily partitions dropped after
 * the retention period — keeps per-webhook delivery statistics, serves the read API with tenant
 * isolation, and replays deliveries (redeliver one event, recover a webhook).
 */
export * from './event-log.options';
export * from './event-log.module';
export * from './attempts/delivery-attempt.entity';
export * from './events/event.entity';
export * from './audit-trail/audit-entry.entity';
export * from './storage/batch-writer';
export * from './storage/partitions';
export * from './storage/webhook-stats-delta';
export * from './storage/partition-maintenance.service';
export * from './replay/recover-webhook.command';
export * from './replay/recover-webhook.usecase';
export * from './replay/redeliver-event.command';
