import pino from 'pino';
import { ConfigResourceTypes } from 'kafkajs';
import { testBrokers, uniqueName } from '@herald/testing';
import { KafkaClient } from './kafka-client';

jest.setTimeout(60_000);

/** Kafka's DescribeConfigs source for a value set on the topic itself. */
const TOPIC_CONFIG = 1;

async function minInsyncOf(minInsyncReplicas: number | undefined): Promise<{ value: string; configSource: number }> {
  const prefix = `${uniqueName()}.`;
  const client = new KafkaClient(
    {
      brokers: [testBrokers()],
      clientId: 'int-test',
      topicPrefix: prefix,
      partitions: 1,
      replicationFactor: 1,
      minInsyncReplicas,
      createTopics: true,
    },
    pino({ level: 'silent' }),
  );
  await client.connect();
  const admin = client.kafka.admin();
  try {
    await admin.connect();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: `${prefix}webhooks.deliveries`, configNames: ['min.insync.replicas'] },
      ],
    });
    const entry = described.resources[0].configEntries.find((e) => e.configName === 'min.insync.replicas')!;
    return { value: entry.configValue, configSource: (entry as unknown as { configSource: number }).configSource };
  } finally {
    await admin.disconnect();
    await client.disconnect();
  }
}

describe('KAFKA_MIN_INSYNC_REPLICAS', () => {
  it('is set on the topics Herald creates, and left to the broker when not given', async () => {
    expect(await minInsyncOf(1)).toEqual({ value: '1', configSource: TOPIC_CONFIG });
    expect((await minInsyncOf(undefined)).configSource).not.toBe(TOPIC_CONFIG);
  });
});
