import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { SASLOptions } from 'kafkajs';

// Heartbeats at a third of the session timeout halve what idle groups cost the broker; the price is
// that a rebalance reaches the other members at their next heartbeat (up to ~10 s).
export const CONSUMER_GROUP_TIMING = { sessionTimeout: 30_000, heartbeatInterval: 10_000, rebalanceTimeout: 60_000 };

export type KafkaSaslMechanism = 'none' | 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  topicPrefix: string;
  partitions: number;
  replicationFactor: number;
  /** min.insync.replicas of the topics Herald creates; absent: the broker's default. */
  minInsyncReplicas?: number;
  /** false: the topics must exist already (pre-created by the platform team); start fails naming any that is missing. */
  createTopics: boolean;
  /** TLS to the brokers; absent means plaintext. */
  ssl?: ConnectionOptions;
  sasl?: SASLOptions;
}

/** The validated Kafka env fragment (libs/config `kafkaEnv`); the security fields are optional for tests. */
export interface KafkaEnv {
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID?: string;
  KAFKA_TOPIC_PREFIX: string;
  KAFKA_TOPIC_PARTITIONS: number;
  KAFKA_REPLICATION_FACTOR: number;
  /** 0 or absent: the broker's default. */
  KAFKA_MIN_INSYNC_REPLICAS?: number;
  KAFKA_CREATE_TOPICS: boolean;
  KAFKA_SASL_MECHANISM?: KafkaSaslMechanism;
  KAFKA_SASL_USERNAME?: string;
  KAFKA_SASL_PASSWORD?: string;
  KAFKA_TLS?: boolean;
  KAFKA_TLS_CA_FILE?: string;
  KAFKA_TLS_CERT_FILE?: string;
  KAFKA_TLS_KEY_FILE?: string;
}

function saslFrom(config: KafkaEnv): SASLOptions | undefined {
  const mechanism = config.KAFKA_SASL_MECHANISM ?? 'none';
  if (mechanism === 'none') return undefined;
  // loadConfig already refused a mechanism without both credentials.
  const credentials = { username: config.KAFKA_SASL_USERNAME ?? '', password: config.KAFKA_SASL_PASSWORD ?? '' };
  return { mechanism, ...credentials };
}

function sslFrom(config: KafkaEnv): ConnectionOptions | undefined {
  if (!config.KAFKA_TLS) return undefined;
  // Files are read once, at start; a rotated certificate takes effect on the next pod restart.
  return {
    rejectUnauthorized: true,
    ...(config.KAFKA_TLS_CA_FILE ? { ca: [readFileSync(config.KAFKA_TLS_CA_FILE, 'utf8')] } : {}),
    ...(config.KAFKA_TLS_CERT_FILE ? { cert: readFileSync(config.KAFKA_TLS_CERT_FILE, 'utf8') } : {}),
    ...(config.KAFKA_TLS_KEY_FILE ? { key: readFileSync(config.KAFKA_TLS_KEY_FILE, 'utf8') } : {}),
  };
}

/** Builds the Kafka settings from the validated common env fragment. */
export function kafkaSettingsFrom(config: KafkaEnv, service: string): KafkaSettings {
  const minInsync = config.KAFKA_MIN_INSYNC_REPLICAS || undefined;
  // With acks=all, more in-sync replicas than replicas would refuse every write.
  if (minInsync !== undefined && minInsync > config.KAFKA_REPLICATION_FACTOR) {
    throw new Error(
      `KAFKA_MIN_INSYNC_REPLICAS (${minInsync}) must not exceed KAFKA_REPLICATION_FACTOR (${config.KAFKA_REPLICATION_FACTOR}): no write could succeed`,
    );
  }
  return {
    brokers: config.KAFKA_BROKERS,
    clientId: config.KAFKA_CLIENT_ID ?? `herald-${service}`,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    partitions: config.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: config.KAFKA_REPLICATION_FACTOR,
    ...(minInsync !== undefined ? { minInsyncReplicas: minInsync } : {}),
    createTopics: config.KAFKA_CREATE_TOPICS,
    ssl: sslFrom(config),
    sasl: saslFrom(config),
  };
}

/** Per-topic replication settings for the topics Herald creates (beside each topic's own configs). */
export function replicationConfigEntries(
  settings: Pick<KafkaSettings, 'minInsyncReplicas'>,
): { name: string; value: string }[] {
  return settings.minInsyncReplicas ? [{ name: 'min.insync.replicas', value: String(settings.minInsyncReplicas) }] : [];
}
