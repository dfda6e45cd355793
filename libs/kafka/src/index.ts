/** @herald/kafka — all Kafka plumbing, written once; services only register handlers. */
export * from './kafka-config';
export * from './offset-tracker';
export * from './kafka-client';
export * from './coalescing-producer';
export * from './consumer-loop';
export * from './co-partitioned-assigner';
export * from './key-lanes';
export * from './topic-consumer';
export * from './compacted-view';
export * from './kafka.module';
