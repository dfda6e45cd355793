import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';
import { FETCH_WAIT_MS, privateGroupId } from './consumer-loop';
import { restartOnCrash } from './crash-restart';
import type { KafkaClient } from './kafka-client';
import { CONSUMER_GROUP_TIMING } from './kafka-config';

export interface CompactedViewOptions<T> {
  topic: string;
  /** Base of the private consumer group id; each process reads every partition. */
  groupBase: string;
  /** Turns a message value into an entry; throws on a value that is not valid. */
  parse: (value: Buffer) => T;
  onChange?: (key: string, value: T | null) => void;
  /**
   * false: entries are only handed to onChange, not kept here (get/values/size see nothing),
   * for a caller that keeps its own bounded copy.
   */
  keepEntries?: boolean;
}

// catchUp() waits for everything written before the call: read-your-writes across services.
export class CompactedTopicView<T> {
  private readonly entries = new Map<string, T>();
  private readonly next = new Map<number, bigint>();
  private waiters: (() => void)[] = [];
  private sharedCatchUp: Promise<void> | null = null;
  private lastPass: { sentAt: number; done: Promise<void> } | null = null;
  private consumer: Consumer | null = null;
  private stopped = false;
  private ready = false;
  private changes = 0;

  constructor(
    private readonly client: KafkaClient,
    private readonly options: CompactedViewOptions<T>,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  values(): IterableIterator<T> {
    return this.entries.values();
  }

  /** Grows with every entry applied (set or deleted): a reader can tell whether the view moved since. */
  get version(): number {
    return this.changes;
  }

  async start(timeoutMs = 60000): Promise<void> {
    const consumer = this.client.kafka.consumer({
      groupId: privateGroupId(this.options.groupBase),
      ...CONSUMER_GROUP_TIMING,
      // A write ends the fetch at once (minBytes 1): the long wait only spares an idle broker.
      maxWaitTimeInMs: FETCH_WAIT_MS,
      minBytes: 1,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    restartOnCrash(consumer, {
      name: `view of ${this.options.topic}`,
      logger: this.logger,
      stopping: () => this.stopped,
      // A fresh private group re-reads the compacted topic from the start: applying it again is idempotent.
      restart: () => this.start(timeoutMs),
      onState: () => undefined,
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.options.topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 8,
      eachBatch: async ({ batch }) => {
        for (const message of batch.messages) this.apply(message.key, message.value);
        if (batch.messages.length > 0) {
          const last = BigInt(batch.messages[batch.messages.length - 1].offset) + 1n;
          const current = this.next.get(batch.partition) ?? 0n;
          if (last > current) this.next.set(batch.partition, last);
        }
        this.wake();
      },
    });
    await this.catchUp(timeoutMs);
    this.ready = true;
    this.logger.info({ topic: this.options.topic, entries: this.entries.size }, 'view caught up');
  }

  private apply(keyBuffer: Buffer | null, value: Buffer | null): void {
    if (!keyBuffer) return;
    const key = keyBuffer.toString();
    this.changes += 1;
    if (value === null || value.length === 0) {
      this.entries.delete(key);
      this.options.onChange?.(key, null);
      return;
    }
    try {
      const entry = this.options.parse(value);
      if (this.options.keepEntries !== false) this.entries.set(key, entry);
      this.options.onChange?.(key, entry);
    } catch (error) {
      this.logger.error({ err: error, topic: this.options.topic, key }, 'invalid entry skipped');
    }
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once every message written to the topic before this call has been applied. */
  async catchUp(timeoutMs = 10000): Promise<void> {
    const targets = await this.client.highWatermarks(this.options.topic);
    const deadline = Date.now() + timeoutMs;
    const behind = () => [...targets].some(([partition, high]) => (this.next.get(partition) ?? 0n) < high);
    while (behind()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${this.options.topic} view did not catch up within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * catchUp() for work fetched at `since` (epoch ms): a pass whose watermark request went out at or
   * after then already covers it, so batches of one fetch share one ListOffsets request.
   */
  catchUpSince(since: number, timeoutMs = 10000): Promise<void> {
    if (this.lastPass && this.lastPass.sentAt >= since) return this.lastPass.done;
    const pass = { sentAt: Date.now(), done: this.catchUp(timeoutMs) };
    this.lastPass = pass;
    // A failed pass is not reused: the next caller asks again.
    pass.done.catch(() => {
      if (this.lastPass === pass) this.lastPass = null;
    });
    return pass.done;
  }

  /**
   * catchUp() for lookups that catch up on a miss: concurrent callers share one pass (one
   * watermark request), so a burst of misses costs the broker one round trip, not one each.
   */
  catchUpCoalesced(timeoutMs = 10000): Promise<void> {
    if (!this.sharedCatchUp) {
      this.sharedCatchUp = this.catchUp(timeoutMs).finally(() => {
        this.sharedCatchUp = null;
      });
    }
    return this.sharedCatchUp;
  }

  check(): void {
    if (!this.ready) throw new Error(`${this.options.topic} view is still loading`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const consumer = this.consumer;
    this.consumer = null;
    if (consumer) await consumer.disconnect().catch(() => undefined);
  }
}
