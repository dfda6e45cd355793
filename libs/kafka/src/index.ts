/**
 * @herald/kafka — all Kafka plumbing, written once: clients, the producer, topic creation,
 * consumer loops with concurrent processing and safe offset commits, dead letters,
 * compacted-topic views, health and shutdown. Services register handlers.
 */
export * from './kafka-config';
export * from './offset-tracker';
export * from './kafka-client';
export * from './consumer-loop';
export * from './topic-consumer';
export * from './compacted-view';
export * from './kafka.module';
