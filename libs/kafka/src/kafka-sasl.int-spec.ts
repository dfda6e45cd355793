import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pino from 'pino';
import { freePort, heraldHome } from '@herald/stack';
import { eventually, uniqueName } from '@herald/testing';
import { KafkaClient } from './kafka-client';
import { kafkaSettingsFrom, type KafkaEnv, type KafkaSaslMechanism } from './kafka-config';

jest.setTimeout(180_000);

const logger = pino({ level: 'silent' });
const PASSWORD = 'herald-secret';

/** kafka.sh's jars (resolved by the test run's global setup). */
const classpath = `${resolve(heraldHome('test'), 'kafka/lib')}/*`;

function serverProperties(dir: string, port: number, controllerPort: number): string {
  return [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
    `listeners=SASL_PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT',
    'sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
    'sasl.mechanism.inter.broker.protocol=PLAIN',
    `listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="admin-secret" user_admin="admin-secret" user_herald="${PASSWORD}";`,
    'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;',
    `log.dirs=${join(dir, 'data')}`,
    'num.partitions=1',
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=2',
  ].join('\n');
}

// A broker of its own that only speaks SASL (PLAIN and SCRAM users), beside the plaintext test broker.
describe('Kafka SASL (KAFKA_SASL_MECHANISM) on a real broker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'herald-kafka-sasl-'));
  let broker: ChildProcess;
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
    const [port, controllerPort] = [await freePort(), await freePort()];
    brokers = `127.0.0.1:${port}`;
    const props = join(dir, 'server.properties');
    writeFileSync(props, serverProperties(dir, port, controllerPort));
    const scram = (mechanism: string) => ['--add-scram', `${mechanism}=[name=herald,password=${PASSWORD}]`];
    execFileSync(
      'java',
      ['-cp', classpath, 'kafka.tools.StorageTool', 'format', '-t', randomBytes(16).toString('base64url'), '-c', props, ...scram('SCRAM-SHA-256'), ...scram('SCRAM-SHA-512')],
      { stdio: 'pipe' },
    );
    broker = spawn('java', ['-Xms128m', '-Xmx384m', '-cp', classpath, 'kafka.Kafka', props], { stdio: 'ignore' });
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
    if (broker && broker.exitCode === null) {
      broker.kill('SIGTERM');
      await new Promise((r) => broker.once('exit', r));
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<KafkaSaslMechanism>(['plain', 'scram-sha-256', 'scram-sha-512'])('%s: authenticates, finds the topics and produces', async (mechanism) => {
    const client = new KafkaClient(kafkaSettingsFrom(env(mechanism), 'int-test'), logger);
    await client.connect();
    try {
      const [sent] = await client.send(client.topics.events, [{ key: 'tenant', value: { mechanism } }]);
      expect(sent.errorCode).toBe(0);
    } finally {
      await client.disconnect();
    }
  });

  it('refuses a wrong password', async () => {
    const client = new KafkaClient(kafkaSettingsFrom(env('scram-sha-512', 'not-the-password'), 'int-test'), logger);
    await expect(client.connect()).rejects.toThrow(/SASL SCRAM SHA512 authentication failed/i);
  });
});
