import pino from 'pino';
import { eventually, uniqueName } from '@herald/testing';
import { KafkaClient } from './kafka-client';
import { kafkaSettingsFrom, type KafkaEnv, type KafkaSaslMechanism } from './kafka-config';
import { startSecureBroker, type SecureBroker } from './testing/secure-broker';

jest.setTimeout(180_000);

const logger = pino({ level: 'silent' });
const PASSWORD = 'herald-secret';

// A broker of its own that only speaks SASL (PLAIN and SCRAM users), beside the plaintext test broker.
describe('Kafka SASL (KAFKA_SASL_MECHANISM) on a real broker', () => {
  let broker: SecureBroker;
  let brokers: string;
  const prefix = `${uniqueName()}.`;

  // Topics are created once, while waiting for the broker; the tests then expect them (KAFKA_CREATE_TOPICS=false).
  const env = (mechanism: KafkaSaslMechanism, password = PASSWORD, createTopics = false): KafkaEnv => ({
    KAFKA_BROKERS: [brokers],
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: 1,
    KAFKA_REPLICATION_FACTOR: 1,
    KAFKA_CREATE_TOPICS: createTopics,
    KAFKA_SASL_MECHANISM: mechanism,
    KAFKA_SASL_USERNAME: 'herald',
    KAFKA_SASL_PASSWORD: password,
  });

  beforeAll(async () => {
    const scram = (mechanism: string) => ['--add-scram', `${mechanism}=[name=herald,password=${PASSWORD}]`];
    broker = await startSecureBroker({
      protocol: 'SASL_PLAINTEXT',
      properties: () => [
        'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
        'sasl.mechanism.inter.broker.protocol=PLAIN',
        `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_herald="${PASSWORD}";`,
        'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
        'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
      ],
      formatArgs: [...scram('SCRAM-SHA-256'), ...scram('SCRAM-SHA-512')],
    });
    brokers = broker.brokers;
    await eventually(
      async () => {
        const client = new KafkaClient(kafkaSettingsFrom(env('plain', PASSWORD, true), 'int-test'), logger);
        try {
          await client.connect();
          return true;
        } finally {
          await client.disconnect();
        }
      },
      120_000,
      'SASL broker ready',
    );
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it.each<KafkaSaslMechanism>(['plain', 'scram-sha-256', 'scram-sha-512'])(
    '%s: authenticates, finds the topics and produces',
    async (mechanism) => {
      const client = new KafkaClient(kafkaSettingsFrom(env(mechanism), 'int-test'), logger);
      await client.connect();
      try {
        const [sent] = await client.send(client.topics.events, [{ key: 'tenant', value: { mechanism } }]);
        expect(sent.errorCode).toBe(0);
      } finally {
        await client.disconnect();
      }
    },
  );

  it('refuses a wrong password', async () => {
    const client = new KafkaClient(kafkaSettingsFrom(env('scram-sha-512', 'not-the-password'), 'int-test'), logger);
    await expect(client.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/i);
  });
});
