import pino from 'pino';
import { heraldTopicSpecs } from '@herald/contracts';
import { testBrokers, uniqueName } from '@herald/testing';
import { KafkaClient } from './kafka-client';

jest.setTimeout(60_000);

const logger = pino({ level: 'silent' });
const client = (prefix: string, createTopics: boolean) =>
  new KafkaClient(
    {
      brokers: [testBrokers()],
      clientId: 'int-test',
      topicPrefix: prefix,
      partitions: 2,
      replicationFactor: 1,
      createTopics,
    },
    logger,
  );

describe('KAFKA_CREATE_TOPICS=false (topics pre-created by the platform team)', () => {
  it('refuses to start naming the missing topics, and starts once they exist', async () => {
    const prefix = `${uniqueName()}.`;
    const expecting = client(prefix, false);
    await expect(expecting.connect()).rejects.toThrow(`these topics do not exist: ${prefix}webhooks.`);

    const creator = client(prefix, true);
    await creator.connect();
    await creator.disconnect();

    const afterwards = client(prefix, false);
    await afterwards.connect();
    const admin = afterwards.kafka.admin();
    await admin.connect();
    const names = await admin.listTopics();
    await admin.disconnect();
    await afterwards.disconnect();
    expect(names).toEqual(expect.arrayContaining(heraldTopicSpecs(prefix, 2).map((t) => t.name)));
  });
});
