/**
 * @herald/persistence — PostgreSQL through TypeORM: the data source, checked-in migrations run
 * at start under an advisory lock (never `synchronize`), and the transactional outbox table.
 */
export * from './persistence.module';
export * from './run-migrations';
export * from './database-settings';
export * from './outbox-message.entity';
export * from './webhook-stats.entity';
export { allMigrations } from './migrations';
