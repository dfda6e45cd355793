/** @herald/matching — the matcher: webhook index from the compacted topic, one task per match. */
export * from './webhook-index';
export * from './webhook-filter';
export * from './fan-out-event.command';
export * from './fan-out-event.usecase';
export * from './matching.module';
