import type { Kafka } from 'kafkajs';
import { attemptIsFinal } from '@herald/contracts';
import { privateGroupId } from '@herald/kafka';

export interface AttemptsTailRequest {
  /** The attempts topic and the deliveries topic it is co-partitioned with. */
  attemptsTopic: string;
  deliveriesTopic: string;
  /** Deliveries partitions newly owned; their attempts partitions are read. */
  partitions: number[];
  /** Records written before this (epoch ms) are not read. */
  since: number;
  /** At most this many records are read back per partition (the newest). */
  maxRecordsPerPartition: number;
  /** Base of the short-lived reader's private group id. */
  groupBase: string;
  timeoutMs: number;
}

export interface AttemptsTail {
  /** Delivery ids with a final attempt (delivered, gone, not sent, dead-lettered). */
  done: string[];
  records: number;
  /** False when the read was cut at `timeoutMs`: `done` holds what was read by then. */
  complete: boolean;
  /** False when the two topics differ in partition count, so every attempts partition was read. */
  coPartitioned: boolean;
}

interface Range {
  next: bigint;
  end: bigint;
}

/**
 * Reads the recent tail of the attempts partitions matching `partitions`. Both topics are keyed by
 * webhookId with the same partitioner, so equal partition counts mean equal partitions.
 */
export async function readAttemptsTail(kafka: Kafka, request: AttemptsTailRequest): Promise<AttemptsTail> {
  const ranges = await tailRanges(kafka, request);
  const result: AttemptsTail = { done: [], records: 0, complete: true, coPartitioned: ranges.coPartitioned };
  if (ranges.byPartition.size === 0) return result;
  const { attemptsTopic: topic } = request;
  const consumer = kafka.consumer({
    groupId: privateGroupId(request.groupBase),
    maxWaitTimeInMs: 100,
    allowAutoTopicCreation: false,
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const left = new Set(ranges.byPartition.keys());
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const range = ranges.byPartition.get(batch.partition);
        if (!range) return;
        for (const message of batch.messages) {
          const offset = BigInt(message.offset);
          if (offset < range.next || offset >= range.end) continue;
          range.next = offset + 1n;
          result.records += 1;
          const id = finalDeliveryId(message.value);
          if (id) result.done.push(id);
        }
        if (range.next >= range.end) left.delete(batch.partition);
        if (left.size === 0) finish();
      },
    });
    await seekOnceRunning(() => {
      for (const [partition, range] of ranges.byPartition)
        consumer.seek({ topic, partition, offset: String(range.next) });
    });
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        result.complete = false;
        resolve();
      }, request.timeoutMs);
    });
    await Promise.race([finished, timedOut]);
    return { ...result, done: [...result.done] };
  } finally {
    clearTimeout(timer);
    await consumer.disconnect().catch(() => undefined);
  }
}

/** Per attempts partition: from the first record at or after `since` (at most the newest N) to the end. */
async function tailRanges(
  kafka: Kafka,
  request: AttemptsTailRequest,
): Promise<{ byPartition: Map<number, Range>; coPartitioned: boolean }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [attempts, deliveries, fromTime] = await Promise.all([
      admin.fetchTopicOffsets(request.attemptsTopic),
      admin.fetchTopicOffsets(request.deliveriesTopic),
      admin.fetchTopicOffsetsByTimestamp(request.attemptsTopic, request.since),
    ]);
    const coPartitioned = attempts.length === deliveries.length;
    const wanted = new Set(coPartitioned ? request.partitions : attempts.map((p) => p.partition));
    const byTime = new Map(fromTime.map((p) => [p.partition, BigInt(p.offset)]));
    const byPartition = new Map<number, Range>();
    for (const { partition, high, low } of attempts) {
      if (!wanted.has(partition)) continue;
      const end = BigInt(high);
      const newest = end - BigInt(request.maxRecordsPerPartition);
      const next = [byTime.get(partition) ?? end, newest, BigInt(low)].reduce((a, b) => (a > b ? a : b));
      if (next < end) byPartition.set(partition, { next, end });
    }
    return { byPartition, coPartitioned };
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** The delivery id of a final attempt record; null for any other (or unreadable) record. */
function finalDeliveryId(value: Buffer | null): string | null {
  if (!value) return null;
  try {
    const record = JSON.parse(value.toString('utf8')) as { deliveryId?: unknown; nextAttemptAt?: unknown };
    return typeof record.deliveryId === 'string' && attemptIsFinal(record) ? record.deliveryId : null;
  } catch {
    return null;
  }
}

// kafkajs creates the consumer group inside run() after it resolves on a busy loop; seek throws until then.
async function seekOnceRunning(seek: () => void, deadlineMs = 10_000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      seek();
      return;
    } catch (error) {
      if (!/not initialized/i.test((error as Error).message) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
