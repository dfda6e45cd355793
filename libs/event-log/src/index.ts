/** @herald/event-log — audit-log: stores events, attempts and admin changes; serves and replays them. */
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
export * from './openapi/api-operations';
