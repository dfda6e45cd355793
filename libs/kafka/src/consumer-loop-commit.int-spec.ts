import type { Consumer, ConsumerConfig } from 'kafkajs';
import pino from 'pino';
import { eventually, produceRaw, testBrokers, testKafka, uniqueName } from '@herald/testing';
import { KafkaClient } from './kafka-client';
import { COMMIT_MAX_EVENTS, ConsumerLoop, type ConsumerLoopOptions } from './consumer-loop';

jest.setTimeout(180_000);

const logger = pino({ level: 'silent' });
const PARTITIONS = 3;

function client(prefix: string) {
  return new KafkaClient(
    {
      brokers: [testBrokers()],
      clientId: 'int-test',
      topicPrefix: prefix,
      partitions: PARTITIONS,
      replicationFactor: 1,
      createTopics: true,
    },
    logger,
  );
}

/** The kafkajs consumers a client creates, with their OffsetCommit and Fetch requests counted on the wire. */
function watchConsumers(kafka: KafkaClient) {
  const created: { consumer: Consumer; commits: number; fetches: number }[] = [];
  const make = kafka.kafka.consumer.bind(kafka.kafka);
  kafka.kafka.consumer = (config: ConsumerConfig) => {
    const consumer = make(config);
    const entry = { consumer, commits: 0, fetches: 0 };
    consumer.on(consumer.events.REQUEST, (event) => {
      if (event.payload.apiName === 'OffsetCommit') entry.commits += 1;
      if (event.payload.apiName === 'Fetch') entry.fetches += 1;
    });
    created.push(entry);
    return consumer;
  };
  return created;
}

/** Each partition's end and committed offset; retried while a fresh broker's coordinator loads. */
async function offsets(groupId: string, topic: string) {
  const admin = testKafka().admin();
  await admin.connect();
  const by = (list: { partition: number; offset: string }[]) =>
    Object.fromEntries(list.map((p) => [p.partition, p.offset]));
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return { ends: by(ends), committed: by(committed.partitions) };
      } catch (error) {
        if (attempt >= 30 || !(error as { retriable?: boolean }).retriable) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

const sum = (offsets: Record<string, string>) => Object.values(offsets).reduce((n, o) => n + Number(o), 0);
// A produce retried on a fresh broker can write an event twice: counts come from the offsets.
const events = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `webhook-${i}`, value: { n: i } }));
const numberOf = (value: Buffer | null) => JSON.parse(value!.toString()).n as number;

describe('ConsumerLoop commits on a real broker', () => {
  it('commits every partition in one OffsetCommit request, and nothing past an unfinished event', async () => {
    const kafka = client(`${uniqueName()}.`);
    const consumers = watchConsumers(kafka);
    await kafka.connect();
    const topic = kafka.topics.events;
    const groupId = uniqueName('group-');
    await produceRaw(topic, events(30));
    const before = await offsets(groupId, topic);
    // Every partition got events, so one commit covering all of them is the thing under test.
    expect(Object.values(before.ends).filter((end) => Number(end) > 0)).toHaveLength(PARTITIONS);

    let stuckOffset: { partition: number; offset: string } | null = null;
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const handled: number[] = [];
    const options: ConsumerLoopOptions = {
      groupId,
      topics: [topic],
      concurrency: 10,
      // Long enough that every event is finished before the first commit goes out.
      commitIntervalMs: 5000,
      handle: async (m) => {
        // The first event of partition 0 never finishes in this run.
        if (m.partition === 0 && stuckOffset === null) {
          stuckOffset = { partition: 0, offset: m.offset };
          await stuck;
        }
        handled.push(numberOf(m.value));
      },
    };
    const loop = new ConsumerLoop(kafka, options, logger);
    await loop.start();
    const total = sum(before.ends);
    await eventually(async () => handled.length === total - 1, 60_000, 'all but one handled');
    await eventually(
      async () => (await offsets(groupId, topic)).committed[1] === before.ends[1],
      60_000,
      'the first commit',
    );
    const after = await offsets(groupId, topic);
    expect(consumers[0].commits).toBe(1);
    expect(after.committed).toEqual({ ...before.ends, 0: stuckOffset!.offset });

    await loop.stop(500);
    release();
    await kafka.disconnect();
  });

  it('after a crash re-reads only what finished since the last commit, within the interval', async () => {
    const kafka = client(`${uniqueName()}.`);
    const consumers = watchConsumers(kafka);
    await kafka.connect();
    const topic = kafka.topics.events;
    const groupId = uniqueName('group-');
    const interval = 300;
    const run = (seen: number[]) =>
      new ConsumerLoop(
        kafka,
        {
          groupId,
          topics: [topic],
          concurrency: 10,
          commitIntervalMs: interval,
          handle: async (m) => void seen.push(numberOf(m.value)),
        },
        logger,
      );

    await produceRaw(topic, events(20));
    const produced = sum((await offsets(groupId, topic)).ends);
    const first: number[] = [];
    const crashed = run(first);
    await crashed.start();
    await eventually(async () => first.length === produced, 60_000, 'all handled');
    // Everything finished more than an interval ago is committed without a stop.
    await eventually(
      async () => {
        const { ends, committed } = await offsets(groupId, topic);
        return Object.keys(ends).every((p) => committed[p] === ends[p]);
      },
      10 * interval + 10_000,
      'committed within the interval',
    );
    // A crash: the member leaves without the loop's final commit.
    await consumers[0].consumer.disconnect();

    await produceRaw(
      topic,
      events(5).map((e) => ({ ...e, value: { n: 100 + e.value.n } })),
    );
    const added = sum((await offsets(groupId, topic)).ends) - produced;
    const second: number[] = [];
    const restarted = run(second);
    await restarted.start();
    await eventually(async () => second.length >= added, 60_000, 'the new events read');
    // Only the events produced after the commit: none of the first 20 is read again.
    expect(new Set(second)).toEqual(new Set([100, 101, 102, 103, 104]));
    expect(second).toHaveLength(added);
    await restarted.stop();
    await crashed.stop(100).catch(() => undefined);
    await kafka.disconnect();
  });

  it('commits once COMMIT_MAX_EVENTS events finished, without waiting out the interval', async () => {
    const kafka = client(`${uniqueName()}.`);
    await kafka.connect();
    const topic = kafka.topics.events;
    const groupId = uniqueName('group-');
    await produceRaw(topic, events(COMMIT_MAX_EVENTS + 50));
    let handled = 0;
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId,
        topics: [topic],
        concurrency: 10,
        commitIntervalMs: 3_600_000,
        handle: async () => void (handled += 1),
      },
      logger,
    );
    await loop.start();
    await eventually(
      async () => sum((await offsets(groupId, topic)).committed) >= COMMIT_MAX_EVENTS,
      60_000,
      'a commit long before the hour is up',
    );
    expect(handled).toBeGreaterThanOrEqual(COMMIT_MAX_EVENTS);
    await loop.stop();
    await kafka.disconnect();
  });

  it('with `gather`, hands the first event after a lull over at once and gathers the ones that follow', async () => {
    const kafka = client(`${uniqueName()}.`);
    const consumers = watchConsumers(kafka);
    await kafka.connect();
    const topic = kafka.topics.attempts;
    const handledAt = new Map<number, number>();
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId: uniqueName('group-'),
        topics: [topic],
        concurrency: 100,
        // Far longer than the produce spacing below, even on a loaded machine.
        gather: { maxWaitMs: 4000, minBytes: 1 << 20 },
        fetchWaitMs: 30_000,
        handle: async (m) => void handledAt.set(numberOf(m.value), Date.now()),
      },
      logger,
    );
    await loop.start();
    await produceRaw(topic, [{ key: 'warm-up', value: { n: -1 } }]);
    await eventually(async () => handledAt.has(-1), 60_000, 'the warm-up event');
    // Let the gather window lapse: the loop is idle again, its fetch waiting up to 30 s.
    await new Promise((resolve) => setTimeout(resolve, 2 * 4000 + 500));

    await produceRaw(topic, [{ key: 'first', value: { n: 0 } }]);
    // Handed over long before the idle fetch's 30 s wait would end.
    await eventually(async () => handledAt.has(0), 20_000, 'the first event after the lull');
    const fetchesBefore = consumers[0].fetches;
    for (let n = 1; n <= 8; n++) {
      await produceRaw(topic, [{ key: `next-${n}`, value: { n } }]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await eventually(async () => handledAt.size === 10, 60_000, 'the gathered events');
    // Eight events one by one, yet a fetch or two carried them (one each without gathering).
    expect(consumers[0].fetches - fetchesBefore).toBeLessThanOrEqual(3);
    await loop.stop();
    await kafka.disconnect();
  });
});

describe('ConsumerLoop in a rebalance on a real broker', () => {
  it('stops its batch when another member joins, so no event is handled by two members', async () => {
    const prefix = `${uniqueName()}.`;
    const topic = client(prefix).topics.events;
    const groupId = uniqueName('group-');
    // Short group timings: a member that goes on with its batch past the rebalance timeout is dropped
    // and its partitions handed out again from the last commit while it still handles them.
    const member = (name: string) => {
      const kafka = client(prefix);
      const make = kafka.kafka.consumer.bind(kafka.kafka);
      kafka.kafka.consumer = (config: ConsumerConfig) =>
        make({ ...config, sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 500 });
      const loop = new ConsumerLoop(
        kafka,
        {
          groupId,
          topics: [topic],
          concurrency: 1,
          handle: async (m) => {
            const key = `${m.partition}@${m.offset}`;
            handledBy.set(key, [...(handledBy.get(key) ?? []), name]);
            await new Promise((resolve) => setTimeout(resolve, 60));
          },
        },
        logger,
      );
      return { kafka, loop };
    };
    const handledBy = new Map<string, string[]>();
    const a = member('a');
    await a.kafka.connect();
    // About 150 events per partition: 9 s of work each, longer than the rebalance timeout.
    await produceRaw(topic, events(PARTITIONS * 150));
    const total = sum((await offsets(groupId, topic)).ends);
    await a.loop.start();
    await eventually(async () => handledBy.size >= 10, 60_000, 'the first member at work');

    const b = member('b');
    await b.kafka.connect();
    await b.loop.start();
    await eventually(async () => handledBy.size === total, 120_000, 'every event handled');
    const byB = [...handledBy.values()].filter((names) => names.includes('b')).length;
    const twice = [...handledBy.entries()].filter(([, names]) => names.length > 1);
    expect(byB).toBeGreaterThan(0);
    expect(byB).toBeLessThan(total);
    // The first member finishes the event in hand and commits it before rejoining: nothing again.
    expect(twice).toEqual([]);
    await Promise.all([a.loop.stop(), b.loop.stop()]);
    await Promise.all([a.kafka.disconnect(), b.kafka.disconnect()]);
  });
});
