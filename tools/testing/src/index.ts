/**
 * @herald/testing — helpers for integration and e2e tests: the real test Kafka and PostgreSQL,
 * isolated topic prefixes and databases per test file, loopback receivers, the full stack.
 */
export * from './infra';
export * from './test-env';
export * from './receiver';
export * from './test-stack';
export * from './seed-verifier';
export * from './dns-server';
export * from './test-certificates';
export * from './mail-sink';
export * from './seed-examples';
