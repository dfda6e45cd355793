import pino from 'pino';
import { produceRaw, testBrokers, testKafka, uniqueName, eventually } from '@herald/testing';
import { KafkaClient } from './kafka-client';
import { ConsumerLoop } from './consumer-loop';
import { CompactedTopicView } from './compacted-view';
import { RequestQueue } from './kafkajs-idle-fix';

jest.setTimeout(60_000);

const logger = pino({ level: 'silent' });

function client(prefix: string) {
  return new KafkaClient(
    {
      brokers: [testBrokers()],
      clientId: 'int-test',
      topicPrefix: prefix,
      partitions: 1,
      replicationFactor: 1,
      createTopics: true,
    },
    logger,
  );
}

async function committedOffset(groupId: string, topic: string): Promise<string> {
  const admin = testKafka().admin();
  await admin.connect();
  try {
    const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return entry.partitions[0].offset;
  } finally {
    await admin.disconnect();
  }
}

describe('ConsumerLoop on a real broker', () => {
  it('never commits past an unfinished message, and a restart redelivers it', async () => {
    const prefix = `${uniqueName()}.`;
    const kafka = client(prefix);
    await kafka.connect();
    const topic = kafka.topics.events;
    const groupId = uniqueName('group-');
    await produceRaw(
      topic,
      Array.from({ length: 10 }, (_, i) => ({ key: 'k', value: { n: i } })),
    );

    const done: number[] = [];
    let releaseStuck!: () => void;
    const stuck = new Promise<void>((r) => (releaseStuck = r));
    const first = new ConsumerLoop(
      kafka,
      {
        groupId,
        topics: [topic],
        concurrency: 10,
        handle: async (m) => {
          const n = JSON.parse(m.value!.toString()).n as number;
          if (n === 3) await stuck; // message 3 never finishes in this run
          done.push(n);
        },
      },
      logger,
    );
    await first.start();
    await eventually(async () => done.length === 9, 20000, 'nine of ten processed');
    // Offsets 4..9 are done but 3 is not: the committed offset must stop at 3.
    await eventually(async () => (await committedOffset(groupId, topic)) === '3', 10000, 'commit at 3');
    await first.stop(500); // message 3 is abandoned, not committed
    releaseStuck();
    expect(await committedOffset(groupId, topic)).toBe('3');

    const second: number[] = [];
    const again = new ConsumerLoop(
      kafka,
      {
        groupId,
        topics: [topic],
        concurrency: 10,
        handle: async (m) => void second.push(JSON.parse(m.value!.toString()).n),
      },
      logger,
    );
    await again.start();
    await eventually(async () => second.length === 7, 20000, 'redelivery from offset 3');
    expect(second.sort((a, b) => a - b)).toEqual([3, 4, 5, 6, 7, 8, 9]);
    await eventually(async () => (await committedOffset(groupId, topic)) === '10', 10000, 'commit at 10');
    await again.stop();
    await kafka.disconnect();
  });

  it('frees a slot when the handler returns, and commits only once its `settled` resolves', async () => {
    const prefix = `${uniqueName()}.`;
    const kafka = client(prefix);
    await kafka.connect();
    const topic = kafka.topics.events;
    const groupId = uniqueName('group-');
    await produceRaw(
      topic,
      Array.from({ length: 6 }, (_, i) => ({ key: 'k', value: { n: i } })),
    );
    const handled: number[] = [];
    const settle: (() => void)[] = [];
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId,
        topics: [topic],
        concurrency: 2,
        handle: async (m) => {
          handled.push(JSON.parse(m.value!.toString()).n as number);
          return { settled: new Promise<void>((resolve) => settle.push(resolve)) };
        },
      },
      logger,
    );
    await loop.start();
    // Two slots, yet all six are handled while none has settled.
    await eventually(async () => handled.length === 6, 20000, 'all six handled');
    expect(await committedOffset(groupId, topic)).toBe('-1');
    settle[0]();
    settle[1]();
    await eventually(async () => (await committedOffset(groupId, topic)) === '2', 10000, 'commit at 2');
    for (const resolve of settle) resolve();
    await eventually(async () => (await committedOffset(groupId, topic)) === '6', 10000, 'commit at 6');
    await loop.stop();
    await kafka.disconnect();
  });

  it('processes a message again when its `settled` rejects', async () => {
    const prefix = `${uniqueName()}.`;
    const kafka = client(prefix);
    await kafka.connect();
    const topic = kafka.topics.events;
    await produceRaw(topic, [{ key: 'k', value: { n: 1 } }]);
    let calls = 0;
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId: uniqueName('group-'),
        topics: [topic],
        concurrency: 4,
        handle: async () => {
          calls += 1;
          return { settled: calls === 1 ? Promise.reject(new Error('produce failed')) : Promise.resolve() };
        },
      },
      logger,
    );
    await loop.start();
    await eventually(async () => calls === 2, 20000, 'handled again');
    await loop.stop();
    expect(calls).toBe(2);
    await kafka.disconnect();
  });

  it('retries a failing handler until it succeeds, without skipping the message', async () => {
    const prefix = `${uniqueName()}.`;
    const kafka = client(prefix);
    await kafka.connect();
    const topic = kafka.topics.events;
    await produceRaw(topic, [
      { key: 'k', value: { n: 1 } },
      { key: 'k', value: { n: 2 } },
    ]);
    let failures = 0;
    const order: number[] = [];
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId: uniqueName('group-'),
        topics: [topic],
        concurrency: 1,
        handle: async (m) => {
          const n = JSON.parse(m.value!.toString()).n as number;
          if (n === 1 && failures < 2) {
            failures += 1;
            throw new Error('downstream unavailable');
          }
          order.push(n);
        },
      },
      logger,
    );
    await loop.start();
    await eventually(async () => order.length === 2, 20000, 'both processed');
    expect(failures).toBe(2);
    expect(order).toEqual([1, 2]);
    await loop.stop();
    await kafka.disconnect();
  });
});

describe('CompactedTopicView on a real broker', () => {
  it('rebuilds the latest value per key, applies tombstones, and catches up on demand', async () => {
    const prefix = `${uniqueName()}.`;
    const kafka = client(prefix);
    await kafka.connect();
    const topic = kafka.topics.subscriptions;
    await kafka.send(topic, [
      { key: 'a', value: { v: 1 } },
      { key: 'b', value: { v: 1 } },
      { key: 'a', value: { v: 2 } },
      { key: 'b', value: null },
    ]);
    const view = new CompactedTopicView(
      kafka,
      { topic, groupBase: 'view-test', parse: (b) => JSON.parse(b.toString()) as { v: number } },
      logger,
    );
    await view.start();
    expect(view.get('a')).toEqual({ v: 2 });
    expect(view.get('b')).toBeUndefined();
    await kafka.send(topic, [{ key: 'c', value: { v: 7 } }]);
    await view.catchUp();
    expect(view.get('c')).toEqual({ v: 7 });
    await view.stop();
    await kafka.disconnect();
  });
});

describe('KafkaClient.highWatermarks on a real broker', () => {
  it('reports the next offset of every partition, as the admin client does', async () => {
    const kafka = client(`${uniqueName()}.`);
    await kafka.connect();
    const topic = kafka.topics.subscriptions;
    await kafka.send(
      topic,
      ['a', 'b', 'c', 'a', 'd'].map((key) => ({ key, value: { key } })),
    );
    const watermarks = await kafka.highWatermarks(topic);
    const admin = kafka.kafka.admin();
    await admin.connect();
    const expected = new Map((await admin.fetchTopicOffsets(topic)).map((o) => [o.partition, BigInt(o.high)]));
    await admin.disconnect();
    expect(watermarks).toEqual(expected);
    expect([...watermarks.values()].reduce((sum, high) => sum + high, 0n)).toBe(5n);
    await kafka.disconnect();
  });

  it('sends one ListOffsets per call once the metadata is known, no Metadata request', async () => {
    const kafka = client(`${uniqueName()}.`);
    await kafka.connect();
    const topic = kafka.topics.subscriptions;
    await kafka.highWatermarks(topic);
    const push = jest.spyOn(RequestQueue.prototype as unknown as { push(request: unknown): void }, 'push');
    try {
      for (let i = 0; i < 5; i++) await kafka.highWatermarks(topic);
      const apis = push.mock.calls.map(([request]) => (request as { entry: { apiName: string } }).entry.apiName);
      expect(apis).toEqual(Array(5).fill('ListOffsets'));
    } finally {
      push.mockRestore();
      await kafka.disconnect();
    }
  });
});
