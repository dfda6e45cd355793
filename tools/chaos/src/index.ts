/**
 * Chaos harness: Herald under steady load while services, broker and database fail, receivers flap and
 * consumers rebalance, then checks that nothing was lost. `npm run chaos` runs the full form.
 */
export * from './chaos-options';
export * from './chaos-run';
export * from './fault-plan';
export * from './ledger-receiver';
