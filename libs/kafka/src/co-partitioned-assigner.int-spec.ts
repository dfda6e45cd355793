import pino from 'pino';
import { eventually, testBrokers, uniqueName } from '@herald/testing';
import { ConsumerLoop } from './consumer-loop';
import { KafkaClient } from './kafka-client';

jest.setTimeout(120_000);

const logger = pino({ level: 'silent' });

/** One deliverer-like process: its own client (instance id), a fresh group and a retries group. */
function deliverer(prefix: string, groups: { fresh: string; retries: string }) {
  const client = new KafkaClient(
    {
      brokers: [testBrokers()],
      clientId: 'int-test',
      topicPrefix: prefix,
      partitions: 3,
      replicationFactor: 1,
      createTopics: true,
    },
    logger,
  );
  const assigned = { fresh: [] as number[], retry1s: [] as number[], retry5s: [] as number[] };
  const loop = (groupId: string, topics: string[], record: (assignment: Record<string, number[]>) => void) =>
    new ConsumerLoop(
      client,
      { groupId, topics, coPartitioned: true, handle: async () => undefined, onAssignment: record },
      logger,
    );
  const loops = [
    loop(groups.fresh, [client.topics.deliveries], (a) => (assigned.fresh = a[client.topics.deliveries] ?? [])),
    loop(groups.retries, [client.topics.retry1s, client.topics.retry5s], (a) => {
      assigned.retry1s = a[client.topics.retry1s] ?? [];
      assigned.retry5s = a[client.topics.retry5s] ?? [];
    }),
  ];
  let stopped: Promise<void> | null = null;
  return {
    assigned,
    start: async () => {
      await client.connect();
      for (const l of loops) await l.start();
    },
    stop: () =>
      (stopped ??= (async () => {
        for (const l of loops) await l.stop(1000);
        await client.disconnect();
      })()),
  };
}

const sorted = (partitions: number[]) => [...partitions].sort((a, b) => a - b);

describe('co-partitioned consumer groups on a real broker', () => {
  it('gives one process partition n of the deliveries and of every retry tier, before and after a member leaves', async () => {
    const prefix = `${uniqueName()}.`;
    const groups = { fresh: uniqueName('fresh-'), retries: uniqueName('retries-') };
    const first = deliverer(prefix, groups);
    const second = deliverer(prefix, groups);
    await first.start();
    await second.start();
    try {
      // Settled: each group's partitions split between both processes, every partition once.
      const split = () =>
        (['fresh', 'retry1s', 'retry5s'] as const).every((topic) => {
          const mine = first.assigned[topic];
          const theirs = second.assigned[topic];
          return mine.length > 0 && theirs.length > 0 && sorted([...mine, ...theirs]).join() === '0,1,2';
        });
      await eventually(async () => split(), 90_000, 'both groups split between the two processes');
      for (const { assigned } of [first, second]) {
        expect(sorted(assigned.retry1s)).toEqual(sorted(assigned.fresh));
        expect(sorted(assigned.retry5s)).toEqual(sorted(assigned.fresh));
      }

      await second.stop();
      await eventually(
        async () =>
          [first.assigned.fresh, first.assigned.retry1s, first.assigned.retry5s].every(
            (partitions) => sorted(partitions).join() === '0,1,2',
          ),
        90_000,
        'the remaining process owns every partition of both groups',
      );
    } finally {
      await second.stop();
      await first.stop();
    }
  });
});
