import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { createTestCa, eventually, issueTestCertificate, uniqueName } from '@herald/testing';
import { KafkaClient } from './kafka-client';
import { kafkaSettingsFrom, type KafkaEnv } from './kafka-config';
import { startSecureBroker, type SecureBroker } from './testing/secure-broker';

jest.setTimeout(180_000);

const logger = pino({ level: 'silent' });

// A broker of its own that only speaks TLS, signed by a private CA, and requires client certificates.
describe('Kafka TLS (KAFKA_TLS, KAFKA_TLS_CA_FILE, KAFKA_TLS_CERT_FILE/KEY_FILE) on a real broker', () => {
  let broker: SecureBroker;
  let files: { ca: string; cert: string; key: string };
  const prefix = `${uniqueName()}.`;

  const env = (overrides: Partial<KafkaEnv>): KafkaEnv => ({
    KAFKA_BROKERS: [broker.brokers],
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_TOPIC_PARTITIONS: 1,
    KAFKA_REPLICATION_FACTOR: 1,
    KAFKA_CREATE_TOPICS: false,
    KAFKA_TLS: true,
    ...overrides,
  });
  const connectWith = async (overrides: Partial<KafkaEnv>) => {
    const client = new KafkaClient(kafkaSettingsFrom(env(overrides), 'int-test'), logger);
    await client.connect();
    return client;
  };

  beforeAll(async () => {
    broker = await startSecureBroker({
      protocol: 'SSL',
      prepare: (dir) => {
        const ca = createTestCa(dir, 'kafka-ca');
        const server = issueTestCertificate(dir, ca, 'broker');
        const client = issueTestCertificate(dir, ca, 'herald-client');
        // Kafka's PEM key store: the private key (PKCS#8) followed by the certificate.
        writeFileSync(
          join(dir, 'broker-keystore.pem'),
          readFileSync(server.key, 'utf8') + readFileSync(server.cert, 'utf8'),
        );
        files = { ca: ca.cert, cert: client.cert, key: client.key };
      },
      properties: (dir) => [
        'ssl.keystore.type=PEM',
        `ssl.keystore.location=${join(dir, 'broker-keystore.pem')}`,
        'ssl.truststore.type=PEM',
        `ssl.truststore.location=${join(dir, 'kafka-ca.crt')}`,
        'ssl.client.auth=required',
      ],
    });
    const tls = () => ({ KAFKA_TLS_CA_FILE: files.ca, KAFKA_TLS_CERT_FILE: files.cert, KAFKA_TLS_KEY_FILE: files.key });
    await eventually(
      async () => {
        const client = await connectWith({ ...tls(), KAFKA_CREATE_TOPICS: true });
        await client.disconnect();
        return true;
      },
      120_000,
      'TLS broker ready',
    );
  });

  afterAll(async () => {
    await broker?.stop();
  });

  it('connects with the CA file and a client certificate, and produces', async () => {
    const client = await connectWith({
      KAFKA_TLS_CA_FILE: files.ca,
      KAFKA_TLS_CERT_FILE: files.cert,
      KAFKA_TLS_KEY_FILE: files.key,
    });
    try {
      const [sent] = await client.send(client.topics.events, [{ key: 'tenant', value: { over: 'tls' } }]);
      expect(sent.errorCode).toBe(0);
    } finally {
      await client.disconnect();
    }
  });

  it("refuses a broker whose CA is not the configured one (Node's CA store by default)", async () => {
    await expect(connectWith({ KAFKA_TLS_CERT_FILE: files.cert, KAFKA_TLS_KEY_FILE: files.key })).rejects.toThrow(
      /certificate/i,
    );
  });

  it('is refused by a broker that requires a client certificate when none is configured', async () => {
    await expect(connectWith({ KAFKA_TLS_CA_FILE: files.ca })).rejects.toThrow();
  });
});
