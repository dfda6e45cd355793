import pino from 'pino';
import type { Consumer } from 'kafkajs';
import { eventually, testBrokers, uniqueName } from '@herald/testing';
import { ConsumerLoop, FETCH_WAIT_MS } from './consumer-loop';
import { KafkaClient } from './kafka-client';

jest.setTimeout(60_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('ConsumerLoop holdUntil (delay topics)', () => {
  it('pauses a partition until its head is due, without holding up other partitions', async () => {
    const logger = pino({ level: 'silent' });
    const kafka = new KafkaClient(
      {
        brokers: [testBrokers()],
        clientId: 'hold-test',
        topicPrefix: `${uniqueName()}.`,
        partitions: 2,
        replicationFactor: 1,
        createTopics: true,
      },
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
      await eventually(
        async () => handled.has('held-1') && handled.has('held-2') && handled.has('free'),
        20_000,
        'all handled',
      );
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

describe('ConsumerLoop holdUntil with a fetch wait much longer than the hold', () => {
  const FETCH_WAIT = 6000;

  it('hands over a parked head when due, not when the fetch in flight happens to return', async () => {
    const logger = pino({ level: 'silent' });
    const kafka = new KafkaClient(
      {
        brokers: [testBrokers()],
        clientId: 'hold-wait-test',
        topicPrefix: `${uniqueName()}.`,
        partitions: 2,
        replicationFactor: 1,
        createTopics: true,
      },
      logger,
    );
    await kafka.connect();
    const topic = kafka.topics.retry5s;
    const handled = new Map<string, number>();
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId: uniqueName('hold-wait-'),
        topics: [topic],
        concurrency: 2,
        partitionsConsumedConcurrently: 2,
        fetchWaitMs: FETCH_WAIT,
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
      await Promise.all([send(0, 'warm-0', 0), send(1, 'warm-1', 0)]);
      await eventually(async () => handled.has('warm-0') && handled.has('warm-1'), 30_000, 'warm-up');

      // Due beyond the fetch wait: paused, resumed early, then waited for in memory.
      const far = Date.now() + FETCH_WAIT + 2500;
      await send(0, 'far', far);
      // Due within the fetch wait: waited for in memory straight away.
      const near = Date.now() + 1500;
      await send(1, 'near', near);
      await eventually(async () => handled.has('far') && handled.has('near'), 30_000, 'held heads handled');
      expect(handled.get('near')!).toBeGreaterThanOrEqual(near);
      expect(handled.get('far')!).toBeGreaterThanOrEqual(far);
      // Late by well under the fetch wait: nothing waited for a fetch to expire.
      expect(handled.get('near')! - near).toBeLessThan(FETCH_WAIT / 3);
      expect(handled.get('far')! - far).toBeLessThan(FETCH_WAIT / 3);
    } finally {
      await producer.disconnect();
      await loop.stop(1000);
      await kafka.disconnect();
    }
  });

  it('an empty delay topic does not spin: it waits as long as any idle consumer', async () => {
    const logger = pino({ level: 'silent' });
    const kafka = new KafkaClient(
      {
        brokers: [testBrokers()],
        clientId: 'hold-idle-test',
        topicPrefix: `${uniqueName()}.`,
        partitions: 2,
        replicationFactor: 1,
        createTopics: true,
      },
      logger,
    );
    await kafka.connect();
    const handled: string[] = [];
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId: uniqueName('hold-idle-'),
        topics: [kafka.topics.retry1s, kafka.topics.retry5s],
        holdUntil: () => 0,
        handle: async (m) => {
          handled.push(m.topic);
        },
      },
      logger,
    );
    try {
      await loop.start();
      // Joined, assigned and fetching on both topics before counting (a joining member fetches more).
      await kafka.send(kafka.topics.retry1s, [{ key: 'k', value: 'warm' }]);
      await kafka.send(kafka.topics.retry5s, [{ key: 'k', value: 'warm' }]);
      await eventually(async () => handled.length === 2, 30_000, 'warm-up handled');
      const consumer = (loop as unknown as { consumer: Consumer }).consumer;
      let fetches = 0;
      consumer.on(consumer.events.FETCH_START, () => (fetches += 1));
      await sleep(FETCH_WAIT_MS + 1000);
      // Nothing held: the long wait (~2 fetches here); a fixed 1 s wait made ~6, the old 100 ms ~60.
      expect(fetches).toBeLessThanOrEqual(4);
      expect(fetches).toBeGreaterThanOrEqual(1);
    } finally {
      await loop.stop(1000);
      await kafka.disconnect();
    }
  });
});
