import { createHook } from 'node:async_hooks';
import pino from 'pino';
import type { Consumer } from 'kafkajs';
import { eventually, testBrokers, uniqueName } from '@herald/testing';
import { CompactedTopicView } from './compacted-view';
import { ConsumerLoop, FETCH_WAIT_MS } from './consumer-loop';
import { KafkaClient } from './kafka-client';
import { CONSUMER_GROUP_TIMING } from './kafka-config';

jest.setTimeout(90_000);

const logger = pino({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Idle consumers wait long on the broker, yet a message ends the wait at once. Bounds are a
 * third of the wait being disproved, so a loaded machine cannot turn a timer into a pass.
 */
describe('idle consumers: long waits, prompt wake-ups (real Kafka)', () => {
  let kafka: KafkaClient;

  beforeAll(async () => {
    kafka = new KafkaClient(
      {
        brokers: [testBrokers()],
        clientId: 'idle-test',
        topicPrefix: `${uniqueName()}.`,
        partitions: 2,
        replicationFactor: 1,
        createTopics: true,
      },
      logger,
    );
    await kafka.connect();
  });

  afterAll(async () => {
    await kafka.disconnect();
  });

  const countFetches = (target: object) => {
    const consumer = (target as unknown as { consumer: Consumer }).consumer;
    let fetches = 0;
    consumer.on(consumer.events.FETCH_START, () => (fetches += 1));
    return () => fetches;
  };

  /** Timers created in this process while `idle` runs (kafkajs's 1 ms re-arm loop made thousands). */
  const timersDuring = async (idle: () => Promise<unknown>) => {
    let timers = 0;
    const hook = createHook({
      init: (_id, type) => {
        if (type === 'Timeout') timers += 1;
      },
    });
    hook.enable();
    try {
      await idle();
    } finally {
      hook.disable();
    }
    return timers;
  };

  it('an idle loop fetches rarely and still handles a message promptly after idling', async () => {
    const topic = kafka.topics.events;
    const handled = new Map<string, number>();
    const loop = new ConsumerLoop(
      kafka,
      {
        groupId: uniqueName('idle-loop-'),
        topics: [topic],
        handle: async (m) => {
          handled.set(JSON.parse(m.value!.toString()) as string, Date.now());
        },
      },
      logger,
    );
    try {
      await loop.start();
      await kafka.send(topic, [{ key: 'k', value: 'warm' }]);
      await eventually(async () => handled.has('warm'), 30_000, 'warm-up handled');

      const fetches = countFetches(loop);
      const timers = await timersDuring(() => sleep(FETCH_WAIT_MS + 1000));
      // One fetch per partition's broker per wait; at the old 100 ms it was ~60.
      expect(fetches()).toBeLessThanOrEqual(4);
      // A few per fetch and heartbeat; kafkajs's unfixed request queue made ~1,000 a second.
      expect(timers).toBeLessThan(200);

      const sent = Date.now();
      await kafka.send(topic, [{ key: 'k', value: 'after-idle' }]);
      await eventually(async () => handled.has('after-idle'), 20_000, 'message after idle handled');
      expect(handled.get('after-idle')! - sent).toBeLessThan(FETCH_WAIT_MS / 3);
    } finally {
      await loop.stop(1000);
    }
  });

  it('an idle compacted view applies a write promptly after idling', async () => {
    const topic = kafka.topics.subscriptions;
    const applied = new Map<string, number>();
    const view = new CompactedTopicView<string>(
      kafka,
      {
        topic,
        groupBase: uniqueName('idle-view-'),
        parse: (value) => JSON.parse(value.toString()) as string,
        onChange: (key) => applied.set(key, Date.now()),
      },
      logger,
    );
    try {
      await kafka.send(topic, [{ key: 'warm', value: 'w' }]);
      await view.start();
      expect(view.get('warm')).toBe('w');

      const fetches = countFetches(view);
      const timers = await timersDuring(() => sleep(FETCH_WAIT_MS + 1000));
      expect(fetches()).toBeLessThanOrEqual(4);
      expect(timers).toBeLessThan(200);

      const sent = Date.now();
      await kafka.send(topic, [{ key: 'after-idle', value: 'v' }]);
      await eventually(async () => applied.has('after-idle'), 20_000, 'write after idle applied');
      expect(applied.get('after-idle')! - sent).toBeLessThan(FETCH_WAIT_MS / 3);
      await view.catchUp();
      expect(view.get('after-idle')).toBe('v');
    } finally {
      await view.stop();
    }
  });

  it('an idle member heartbeats once per heartbeatInterval, and a joining member still gets its share', async () => {
    const topic = kafka.topics.events;
    const groupId = uniqueName('idle-heartbeat-');
    const newLoop = () => new ConsumerLoop(kafka, { groupId, topics: [topic], handle: async () => undefined }, logger);
    const first = newLoop();
    const second = newLoop();
    try {
      await first.start();
      const consumer = (first as unknown as { consumer: Consumer }).consumer;
      let heartbeats = 0;
      consumer.on(consumer.events.HEARTBEAT, () => (heartbeats += 1));
      const { heartbeatInterval, sessionTimeout } = CONSUMER_GROUP_TIMING;
      await sleep(2 * heartbeatInterval + FETCH_WAIT_MS);
      // Alive (it heartbeats), but not after every fetch as at 3 s: that was 5 in this window.
      expect(heartbeats).toBeGreaterThanOrEqual(1);
      expect(heartbeats).toBeLessThanOrEqual(3);

      // The idle member learns of the rebalance at a heartbeat, long before a session would expire
      // (start() resolves once the new member has joined and synced).
      const joining = Date.now();
      await second.start();
      expect(Date.now() - joining).toBeLessThan(sessionTimeout);
      const group = await consumer.describeGroup();
      expect(group.state).toBe('Stable');
      expect(group.members).toHaveLength(2);
    } finally {
      await Promise.all([first.stop(1000), second.stop(1000)]);
    }
  });
});
