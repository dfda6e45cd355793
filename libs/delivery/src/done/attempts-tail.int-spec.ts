import type { Admin, Producer } from 'kafkajs';
import { testKafka, uniqueName } from '@herald/testing';
import { readAttemptsTail, type AttemptsTailRequest } from './attempts-tail';

jest.setTimeout(60_000);

const HOUR = 3_600_000;

/** An attempt record as far as the tail reader looks at it; `retry` ones schedule another attempt. */
function attempt(deliveryId: string, retry = false): string {
  return JSON.stringify({ deliveryId, outcome: retry ? 'http_error' : 'success', nextAttemptAt: retry ? 'x' : null });
}

describe('readAttemptsTail (real Kafka)', () => {
  const kafka = testKafka();
  let admin: Admin;
  let producer: Producer;

  beforeAll(async () => {
    admin = kafka.admin();
    producer = kafka.producer();
    await Promise.all([admin.connect(), producer.connect()]);
  });

  afterAll(async () => {
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  /** An attempts topic whose partitions hold records written an hour ago and just now. */
  async function topics(attemptsPartitions: number, deliveriesPartitions: number) {
    const prefix = uniqueName('tail');
    const attemptsTopic = `${prefix}.attempts`;
    const deliveriesTopic = `${prefix}.deliveries`;
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: attemptsTopic, numPartitions: attemptsPartitions },
        { topic: deliveriesTopic, numPartitions: deliveriesPartitions },
      ],
    });
    const now = Date.now();
    for (let partition = 0; partition < attemptsPartitions; partition++) {
      const old = { partition, timestamp: String(now - HOUR), value: attempt(`dlv_old_${partition}`) };
      const recent = Array.from({ length: 5 }, (_, i) => ({
        partition,
        timestamp: String(now),
        value: attempt(`dlv_${partition}_${i}`, i === 4),
      }));
      await producer.send({ topic: attemptsTopic, messages: [old, ...recent] });
    }
    const request: AttemptsTailRequest = {
      attemptsTopic,
      deliveriesTopic,
      partitions: [1],
      since: now - 60_000,
      maxRecordsPerPartition: 100,
      groupBase: `${prefix}.reader`,
      timeoutMs: 30_000,
    };
    return request;
  }

  it('reads the window of the matching partition only and keeps final attempts', async () => {
    const request = await topics(3, 3);
    const tail = await readAttemptsTail(kafka, request);
    expect(tail).toEqual({
      done: ['dlv_1_0', 'dlv_1_1', 'dlv_1_2', 'dlv_1_3'],
      records: 5,
      complete: true,
      coPartitioned: true,
    });
  });

  it('reads at most the newest N records of a partition', async () => {
    const request = await topics(3, 3);
    const tail = await readAttemptsTail(kafka, { ...request, since: 0, maxRecordsPerPartition: 3 });
    expect(tail.done).toEqual(['dlv_1_2', 'dlv_1_3']);
    expect(tail.records).toBe(3);
  });

  it('reads every attempts partition when the two topics are partitioned differently', async () => {
    const request = await topics(2, 3);
    const tail = await readAttemptsTail(kafka, request);
    expect(tail.coPartitioned).toBe(false);
    expect([...tail.done].sort()).toEqual(
      ['dlv_0_0', 'dlv_0_1', 'dlv_0_2', 'dlv_0_3', 'dlv_1_0', 'dlv_1_1', 'dlv_1_2', 'dlv_1_3'].sort(),
    );
  });

  it('reads nothing (and joins no group) when the window holds no record', async () => {
    const request = await topics(3, 3);
    const tail = await readAttemptsTail(kafka, { ...request, since: Date.now() + HOUR });
    expect(tail).toEqual({ done: [], records: 0, complete: true, coPartitioned: true });
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId);
    expect(groups.filter((g) => g.startsWith(request.groupBase))).toEqual([]);
  });
});
