import type { PartitionMetadata, ProducerBatch, RecordMetadata } from 'kafkajs';
import { ChosenPartitions, CoalescingProducer, producerFenced, type ProducerLike } from './coalescing-producer';

/** A producer whose requests complete only when the test says so. */
class FakeProducer implements ProducerLike {
  readonly requests: ProducerBatch[] = [];
  private readonly answers: { resolve: (m: RecordMetadata[]) => void; reject: (e: Error) => void }[] = [];
  connect = async () => undefined;
  disconnect = async () => undefined;
  send = async () => [] as RecordMetadata[];
  sendBatch = (batch: ProducerBatch) => {
    this.requests.push(batch);
    return new Promise<RecordMetadata[]>((resolve, reject) => this.answers.push({ resolve, reject }));
  };
  answer(error?: Error) {
    const next = this.answers.shift()!;
    if (error) next.reject(error);
    else
      next.resolve([
        { topicName: 'a', partition: 0, errorCode: 0 },
        { topicName: 'b', partition: 0, errorCode: 0 },
      ]);
  }
}

const flush = () => new Promise((resolve) => setImmediate(resolve));
const msg = (value: string) => ({ key: null, value });

describe('CoalescingProducer', () => {
  it('sends at once when idle, and groups what arrives meanwhile into the next request', async () => {
    const fake = new FakeProducer();
    const producer = new CoalescingProducer(fake);
    const first = producer.send({ topic: 'a', acks: -1, messages: [msg('1')] });
    await flush();
    expect(fake.requests).toHaveLength(1);
    const later = [
      producer.send({ topic: 'a', acks: -1, messages: [msg('2')] }),
      producer.send({ topic: 'b', acks: -1, messages: [msg('3')] }),
      producer.send({ topic: 'a', acks: -1, messages: [msg('4'), msg('5')] }),
    ];
    await flush();
    expect(fake.requests).toHaveLength(1);
    fake.answer();
    await expect(first).resolves.toEqual([{ topicName: 'a', partition: 0, errorCode: 0 }]);
    await flush();
    expect(fake.requests).toHaveLength(2);
    expect(fake.requests[1].topicMessages).toEqual([
      { topic: 'a', messages: [msg('2'), msg('4'), msg('5')] },
      { topic: 'b', messages: [msg('3')] },
    ]);
    fake.answer();
    await expect(Promise.all(later)).resolves.toHaveLength(3);
  });

  it('rejects every caller of a failed request, and goes on with the next', async () => {
    const fake = new FakeProducer();
    const producer = new CoalescingProducer(fake);
    const first = producer.send({ topic: 'a', acks: -1, messages: [msg('1')] });
    await flush();
    const second = producer.send({ topic: 'a', acks: -1, messages: [msg('2')] });
    const third = producer.send({ topic: 'b', acks: -1, messages: [msg('3')] });
    fake.answer(new Error('broker gone'));
    await expect(first).rejects.toThrow('broker gone');
    await flush();
    fake.answer(new Error('still gone'));
    await expect(second).rejects.toThrow('still gone');
    await expect(third).rejects.toThrow('still gone');
    const fourth = producer.send({ topic: 'a', acks: -1, messages: [msg('4')] });
    await flush();
    fake.answer();
    await expect(fourth).resolves.toHaveLength(1);
  });

  it('caps a request by size', async () => {
    const fake = new FakeProducer();
    const producer = new CoalescingProducer(fake, 1000);
    const sends = ['x', 'y', 'z'].map((v) => producer.send({ topic: 'a', acks: -1, messages: [msg(v.repeat(600))] }));
    await flush();
    fake.answer();
    await flush();
    fake.answer();
    await flush();
    fake.answer();
    await Promise.all(sends);
    expect(fake.requests.map((r) => r.topicMessages![0].messages.length)).toEqual([1, 1, 1]);
  });

  it('keeps a sendBatch, and sends made in the same turn, in one request', async () => {
    const fake = new FakeProducer();
    const producer = new CoalescingProducer(fake);
    const batch = producer.sendBatch({
      acks: -1,
      topicMessages: [
        { topic: 'a', messages: [msg('1')] },
        { topic: 'b', messages: [msg('2')] },
      ],
    });
    const single = producer.send({ topic: 'a', acks: -1, messages: [msg('3')] });
    await flush();
    fake.answer();
    await expect(batch).resolves.toHaveLength(2);
    await expect(single).resolves.toHaveLength(1);
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].topicMessages![0].messages).toEqual([msg('1'), msg('3')]);
  });

  it('passes other kinds of send through, after what is queued', async () => {
    const fake = new FakeProducer();
    const direct = jest.fn(async () => [] as RecordMetadata[]);
    fake.send = direct;
    const producer = new CoalescingProducer(fake);
    const queued = producer.send({ topic: 'a', acks: -1, messages: [msg('1')] });
    const other = producer.send({ topic: 'a', acks: 1, messages: [msg('2')] });
    await flush();
    expect(direct).not.toHaveBeenCalled();
    fake.answer();
    await queued;
    await other;
    expect(direct).toHaveBeenCalledTimes(1);
  });

  it('lets lingering records wait for company, and sends them with the first other send', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask'] });
    try {
      const inner = new FakeProducer();
      const producer = new CoalescingProducer(inner, undefined, (topic) => (topic === 'b' ? 50 : 0));
      const lingering = producer.send({ topic: 'b', acks: -1, messages: [msg('1')] });
      const alsoLingering = producer.send({ topic: 'b', acks: -1, messages: [msg('2')] });
      await flush();
      expect(inner.requests).toHaveLength(0);
      jest.advanceTimersByTime(50);
      await flush();
      expect(inner.requests).toHaveLength(1);
      expect(inner.requests[0].topicMessages).toEqual([{ topic: 'b', messages: [msg('1'), msg('2')] }]);
      inner.answer();
      await Promise.all([lingering, alsoLingering]);

      // A send that may not wait takes the lingering record along, at once.
      const third = producer.send({ topic: 'b', acks: -1, messages: [msg('3')] });
      const urgent = producer.send({ topic: 'a', acks: -1, messages: [msg('4')] });
      await flush();
      expect(inner.requests).toHaveLength(2);
      expect(inner.requests[1].topicMessages).toEqual([
        { topic: 'b', messages: [msg('3')] },
        { topic: 'a', messages: [msg('4')] },
      ]);
      inner.answer();
      await Promise.all([third, urgent]);
      // Its timer was cleared: nothing more is sent when it would have fired.
      jest.advanceTimersByTime(100);
      await flush();
      expect(inner.requests).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('sends lingering records without waiting once a quarter of a request has gathered', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'queueMicrotask'] });
    try {
      const inner = new FakeProducer();
      const producer = new CoalescingProducer(inner, 4096, () => 60_000);
      const small = producer.send({ topic: 'b', acks: -1, messages: [msg('1')] });
      await flush();
      expect(inner.requests).toHaveLength(0);
      const big = producer.send({ topic: 'b', acks: -1, messages: [{ key: 'k', value: 'x'.repeat(1024) }] });
      await flush();
      expect(inner.requests).toHaveLength(1);
      expect(inner.requests[0].topicMessages![0].messages).toHaveLength(2);
      inner.answer();
      await Promise.all([small, big]);
    } finally {
      jest.useRealTimers();
    }
  });

  it('replaces a producer the broker fenced (out-of-order sequence) and sends the request again on the new one', async () => {
    const stale = new FakeProducer();
    const fresh = new FakeProducer();
    const renewedWith: unknown[] = [];
    let disconnected = false;
    stale.disconnect = async () => {
      disconnected = true;
    };
    const producer = new CoalescingProducer(stale, undefined, undefined, {
      create: () => fresh,
      renewed: (error) => renewedWith.push(error),
    });
    const sent = producer.send({ topic: 'a', acks: -1, messages: [msg('1')] });
    await flush();
    // kafkajs wraps the protocol error (retrier → KafkaJSNonRetriableError with a cause).
    const fenced = Object.assign(new Error('The broker received an out of order sequence number'), {
      type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
    stale.answer(Object.assign(new Error('send failed'), { cause: fenced }));
    await flush();
    await flush();
    expect(fresh.requests).toHaveLength(1);
    expect(fresh.requests[0].topicMessages).toEqual([{ topic: 'a', messages: [msg('1')] }]);
    fresh.answer();
    await expect(sent).resolves.toEqual([{ topicName: 'a', partition: 0, errorCode: 0 }]);
    expect(renewedWith).toHaveLength(1);
    expect(disconnected).toBe(true);
    // Later sends use the new producer only.
    const next = producer.send({ topic: 'b', acks: -1, messages: [msg('2')] });
    await flush();
    expect(stale.requests).toHaveLength(1);
    expect(fresh.requests).toHaveLength(2);
    fresh.answer();
    await expect(next).resolves.toHaveLength(1);
  });

  it('keeps the producer on any other error: the callers are rejected as before', async () => {
    const fake = new FakeProducer();
    const producer = new CoalescingProducer(fake, undefined, undefined, {
      create: () => {
        throw new Error('must not renew');
      },
    });
    const sent = producer.send({ topic: 'a', acks: -1, messages: [msg('1')] });
    await flush();
    fake.answer(Object.assign(new Error('leader moved'), { type: 'NOT_LEADER_FOR_PARTITION' }));
    await expect(sent).rejects.toThrow('leader moved');
  });

  it('reports itself unhealthy once every request failed for the window, healthy again after a success', async () => {
    const fake = new FakeProducer();
    let now = 1_000;
    const producer = new CoalescingProducer(fake, undefined, undefined, undefined, () => now);
    producer.checkHealthy(45_000);
    const first = producer.send({ topic: 'a', acks: -1, messages: [msg('1')] });
    await flush();
    fake.answer(new Error('brokers unreachable'));
    await expect(first).rejects.toThrow('brokers unreachable');
    now += 30_000;
    expect(() => producer.checkHealthy(45_000)).not.toThrow();
    const second = producer.send({ topic: 'a', acks: -1, messages: [msg('2')] });
    await flush();
    fake.answer(new Error('still unreachable'));
    await expect(second).rejects.toThrow();
    now += 20_000;
    expect(() => producer.checkHealthy(45_000)).toThrow('every Kafka produce request failed for the last 50 s');
    const third = producer.send({ topic: 'a', acks: -1, messages: [msg('3')] });
    await flush();
    fake.answer();
    await expect(third).resolves.toHaveLength(1);
    expect(() => producer.checkHealthy(45_000)).not.toThrow();
  });

  it('finds the fencing error types wherever kafkajs nests them', () => {
    expect(producerFenced({ type: 'UNKNOWN_PRODUCER_ID' })).toBe(true);
    expect(producerFenced({ errors: [{ type: 'NOT_LEADER_FOR_PARTITION' }, { type: 'INVALID_PRODUCER_EPOCH' }] })).toBe(
      true,
    );
    expect(producerFenced({ originalError: { cause: { type: 'OUT_OF_ORDER_SEQUENCE_NUMBER' } } })).toBe(true);
    expect(producerFenced({ type: 'REQUEST_TIMED_OUT' })).toBe(false);
    expect(producerFenced(null)).toBe(false);
  });

  describe('a send whose answers leave partitions out (kafkajs after a leader moved)', () => {
    const PARTITIONS = 6;
    const metadata: PartitionMetadata[] = Array.from({ length: PARTITIONS }, (_, partitionId) => ({
      partitionId,
      leader: partitionId % 3,
      replicas: [0, 1, 2],
      isr: [0, 1, 2],
      partitionErrorCode: 0,
      offlineReplicas: [],
    }));

    /** Partitions messages with the recording partitioner, as kafkajs does, and answers all but `skip`'s partitions. */
    class PartitioningProducer implements ProducerLike {
      readonly requests: { topic: string; partition: number; value: string }[][] = [];
      skip: ((round: number, partition: number) => boolean) | null = null;
      constructor(private readonly chosen: ChosenPartitions) {}
      connect = async () => undefined;
      disconnect = async () => undefined;
      send = async () => [] as RecordMetadata[];
      sendBatch = async (batch: ProducerBatch) => {
        const partitioner = this.chosen.createPartitioner();
        const round = this.requests.length;
        const sent = batch.topicMessages!.flatMap(({ topic, messages }) =>
          messages.map((message) => ({
            topic,
            partition: partitioner({ topic, partitionMetadata: metadata, message }),
            value: String(message.value),
          })),
        );
        this.requests.push(sent);
        const answered = new Map<string, RecordMetadata>();
        for (const { topic, partition } of sent)
          if (!this.skip?.(round, partition))
            answered.set(`${topic}:${partition}`, { topicName: topic, partition, errorCode: 0 });
        return [...answered.values()];
      };
    }

    const keyed = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `webhook-${i}`, value: `v${i}` }));

    it('sends again, pinned to their partitions, the messages of every partition left unanswered', async () => {
      const chosen = new ChosenPartitions();
      const fake = new PartitioningProducer(chosen);
      fake.skip = (round, partition) => round === 0 && (partition === 1 || partition === 4);
      const resent: [number, string[]][] = [];
      const producer = new CoalescingProducer(fake, undefined, undefined, undefined, undefined, {
        chosen,
        resent: (messages, partitions) => resent.push([messages, partitions]),
      });
      const messages = keyed(40);
      const answers = await producer.sendBatch({ acks: -1, topicMessages: [{ topic: 'deliveries', messages }] });

      const left = fake.requests[0].filter((m) => m.partition === 1 || m.partition === 4);
      expect(left.length).toBeGreaterThan(0);
      expect(fake.requests).toHaveLength(2);
      expect(fake.requests[1]).toEqual(left);
      expect(resent).toEqual([[left.length, [...new Set(left.map((m) => `deliveries:${m.partition}`))]]]);
      expect(new Set(answers.map((a) => a.partition))).toEqual(new Set(fake.requests[0].map((m) => m.partition)));
    });

    it('does not send again when every partition answered', async () => {
      const chosen = new ChosenPartitions();
      const fake = new PartitioningProducer(chosen);
      const producer = new CoalescingProducer(fake, undefined, undefined, undefined, undefined, { chosen });
      await producer.send({ topic: 'attempts', acks: -1, messages: keyed(20) });
      expect(fake.requests).toHaveLength(1);
    });

    it('fails the callers, naming the partitions, when they stay unanswered', async () => {
      const chosen = new ChosenPartitions();
      const fake = new PartitioningProducer(chosen);
      const messages = keyed(20);
      fake.skip = (_round, partition) => partition === fake.requests[0][0].partition;
      const producer = new CoalescingProducer(fake, undefined, undefined, undefined, undefined, { chosen });
      await expect(producer.send({ topic: 'attempts', acks: -1, messages })).rejects.toThrow(
        /Kafka did not acknowledge attempts:\d after 5 resends/,
      );
      expect(fake.requests).toHaveLength(6);
    });
  });
});
