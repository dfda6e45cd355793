export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions: number;
  replicationFactor: number;
  createTopics: boolean;
}

/** Builds the Kafka settings from the validated common env fragment. */
export function kafkaSettingsFrom(
  config: {
    KAFKA_BROKERS: string[];
    KAFKA_CLIENT_ID?: string;
    KAFKA_TOPIC_PREFIX: string;
    KAFKA_TOPIC_PARTITIONS: number;
    KAFKA_REPLICATION_FACTOR: number;
    KAFKA_CREATE_TOPICS: boolean;
  },
  service: string,
): KafkaSettings {
  return {
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID ?? `herald-${service}`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    createTopics: config.KAFKA_CREATE_TOPICS,
  };
}
