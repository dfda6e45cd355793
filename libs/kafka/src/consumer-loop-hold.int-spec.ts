import pino from 'pino';
import { eventually, testBrokers, uniqueName } from '@herald/testing';
import { ConsumerLoop } from './consumer-loop';
import { KafkaClient } from './kafka-client';

jest.setTimeout(60_000);

describe('ConsumerLoop holdUntil (delay topics)', () => {
  it('pauses a partition until its head is due, without holding up other partitions', async () => {
    const logger = pino({ level: 'silent' });
    const kafka = new KafkaClient(
      { brokers: [testBrokers()], clientId: 'hold-test', topicPrefix: `${uniqueName()}.`, partitions: 2, replicationFactor: 1, createTopics: true },
      logger,
    );
    await kafka.connect();
    const topic = kafka.topics.retry1s;
    const handled = new Map<string, number>();
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId: uniqueName('hold-'),
        topics: [topic],
        concurrency: 4,
        partitionsConsumedConcurrently: 2,
        holdUntil: (m) => JSON.parse(m.value!.toString()).due as number,
        handle: async (m) => {
          handled.set(JSON.parse(m.value!.toString()).id as string, Date.now());
        },
      },
      logger,
    );
    const producer = kafka.kafka.producer();
    await producer.connect();
    const send = (partition: number, id: string, due: number) =>
      producer.send({ topic, messages: [{ partition, value: JSON.stringify({ id, due }) }] });
    try {
      await loop.start();
      // Both partitions assigned and flowing before the clock starts.
      await Promise.all([send(0, 'warm-0', 0), send(1, 'warm-1', 0)]);
      await eventually(async () => handled.has('warm-0') && handled.has('warm-1'), 30_000, 'warm-up');

      // 5 s: room for the free partition's message on a busy machine.
      const due = Date.now() + 5000;
      await send(0, 'held-1', due);
      await send(0, 'held-2', due);
      await send(1, 'free', 0);
      await eventually(async () => handled.has('held-1') && handled.has('held-2') && handled.has('free'), 20_000, 'all handled');
      expect(handled.get('held-1')!).toBeGreaterThanOrEqual(due);
      expect(handled.get('held-2')!).toBeGreaterThanOrEqual(due);
      // The other partition was not paused: its message went through while partition 0 waited.
      expect(handled.get('free')!).toBeLessThan(due);
      expect(handled.size).toBe(5);
    } finally {
      await producer.disconnect();
      await loop.stop(1000);
      await kafka.disconnect();
    }
  });
});
