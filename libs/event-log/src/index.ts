/**
 * @herald/event-log — the audit-log service's behaviour: stores every delivery attempt from
 * `webhooks.attempts` in PostgreSQL (idempotently, in batches, in daily partitions) and serves
 * them back over the read API with tenant isolation.
 */
export * from './delivery-attempt.entity';
export * from './batch-writer';
export * from './event-log.module';
