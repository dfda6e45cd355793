/**
 * Chaos harness: Herald on its own Kafka and PostgreSQL under steady load while services are
 * killed, the broker and the database restart, receivers flap and consumers rebalance; then
 * checks that nothing was lost. `npm run chaos` runs the full form; an e2e test the short one.
 */
export * from './chaos-options';
export * from './chaos-run';
export * from './fault-plan';
export * from './ledger-receiver';
