import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kafkaSettingsFrom, replicationConfigEntries, type KafkaEnv } from './kafka-config';

const dir = mkdtempSync(join(tmpdir(), 'herald-kafka-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const base: KafkaEnv = {
  KAFKA_BROKERS: ['kafka-0:9093', 'kafka-1:9093'],
  KAFKA_TOPIC_PREFIX: 'prod.',
  KAFKA_TOPIC_PARTITIONS: 12,
  KAFKA_REPLICATION_FACTOR: 3,
  KAFKA_CREATE_TOPICS: false,
};

describe('kafkaSettingsFrom', () => {
  it('keeps plaintext without SASL by default and names the client after the service', () => {
    const settings = kafkaSettingsFrom(base, 'matcher');
    expect(settings).toMatchObject({
      clientId: 'herald-matcher',
      topicPrefix: 'prod.',
      partitions: 12,
      replicationFactor: 3,
      createTopics: false,
    });
    expect(settings.ssl).toBeUndefined();
    expect(settings.sasl).toBeUndefined();
  });

  it('sets min.insync.replicas on the topics it creates when asked, and refuses more than the replicas', () => {
    expect(kafkaSettingsFrom(base, 'matcher').minInsyncReplicas).toBeUndefined();
    expect(replicationConfigEntries(kafkaSettingsFrom({ ...base, KAFKA_MIN_INSYNC_REPLICAS: 0 }, 'matcher'))).toEqual(
      [],
    );
    const settings = kafkaSettingsFrom({ ...base, KAFKA_MIN_INSYNC_REPLICAS: 2 }, 'matcher');
    expect(settings.minInsyncReplicas).toBe(2);
    expect(replicationConfigEntries(settings)).toEqual([{ name: 'min.insync.replicas', value: '2' }]);
    expect(() => kafkaSettingsFrom({ ...base, KAFKA_MIN_INSYNC_REPLICAS: 4 }, 'matcher')).toThrow(
      'KAFKA_MIN_INSYNC_REPLICAS (4) must not exceed KAFKA_REPLICATION_FACTOR (3)',
    );
  });

  it('passes the SASL mechanism and credentials through', () => {
    const settings = kafkaSettingsFrom(
      {
        ...base,
        KAFKA_CLIENT_ID: 'herald-prod',
        KAFKA_SASL_MECHANISM: 'scram-sha-256',
        KAFKA_SASL_USERNAME: 'herald',
        KAFKA_SASL_PASSWORD: 'pw',
      },
      'deliverer',
    );
    expect(settings.clientId).toBe('herald-prod');
    expect(settings.sasl).toEqual({ mechanism: 'scram-sha-256', username: 'herald', password: 'pw' });
  });

  it('verifies brokers against the CA file and presents a client certificate when given', () => {
    const settings = kafkaSettingsFrom(
      {
        ...base,
        KAFKA_TLS: true,
        KAFKA_TLS_CA_FILE: file('ca.pem', 'CA PEM'),
        KAFKA_TLS_CERT_FILE: file('cert.pem', 'CERT PEM'),
        KAFKA_TLS_KEY_FILE: file('key.pem', 'KEY PEM'),
      },
      'audit-log',
    );
    expect(settings.ssl).toEqual({ rejectUnauthorized: true, ca: ['CA PEM'], cert: 'CERT PEM', key: 'KEY PEM' });
  });

  it('uses the system CA store when TLS is on without a CA file', () => {
    expect(kafkaSettingsFrom({ ...base, KAFKA_TLS: true }, 'matcher').ssl).toEqual({ rejectUnauthorized: true });
  });
});
