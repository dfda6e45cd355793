import { randomUUID } from 'node:crypto';
import { PartitionAssigners, type Consumer, type EachBatchPayload, type IHeaders, type KafkaMessage } from 'kafkajs';
import type { Logger } from 'pino';
import { SpanKind, contextFromHeaders, inSpan } from '@herald/observability';
import { coPartitionedAssigner } from './co-partitioned-assigner';
import { restartOnCrash } from './crash-restart';
import type { KafkaClient } from './kafka-client';
import { CONSUMER_GROUP_TIMING } from './kafka-config';
import { OffsetTracker } from './offset-tracker';

export interface ConsumedMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: IHeaders;
  timestamp: string;
}

export interface ConsumerLoopOptions {
  groupId: string;
  topics: string[];
  fromBeginning?: boolean;
  /**
   * Messages of one partition processed at once. 1 keeps strict order; more lets a slow message
   * not hold the ones behind it. Offsets are committed only below the lowest unfinished one.
   */
  concurrency?: number;
  /** Partitions handled in parallel by this process. */
  partitionsConsumedConcurrently?: number;
  // Bad input is handled inside and resolves; a rejection retries with backoff. `{ settled }` frees
  // the slot now while the offset waits for it (a rejected `settled` processes the message again).
  handle: (message: ConsumedMessage) => Promise<void | Settling>;
  /** Called before a batch is processed (e.g. to catch a view up); `fetchedAt`: when its fetch returned. */
  beforeBatch?: (topic: string, fetchedAt: number) => Promise<void>;
  // One OffsetCommit request for all partitions, this long after work finishes (ms; default
  // COMMIT_INTERVAL_MS) or once COMMIT_MAX_EVENTS finished; a crash re-reads that, plus what was in flight.
  commitIntervalMs?: number;
  // Delay topics: a head not yet due pauses its partition (no slot held), so use it only where later
  // messages are due no earlier (one fixed delay per topic).
  holdUntil?: (message: ConsumedMessage) => number | undefined;
  // A message ends the fetch at once; shorter while a partition is held, since kafkajs fetches a
  // resumed partition only after the fetch in flight returns.
  fetchWaitMs?: number;
  // Consumers off the latency path: while events flow, a fetch waits up to `maxWaitMs` for `minBytes`
  // (fewer fetches, bigger batches); after a quiet spell the first event is still handed over at once.
  gather?: { maxWaitMs: number; minBytes: number };
  // Partition n of every topic, in every group of this process that sets it, goes to one process
  // (co-partitioned-assigner.ts): for topics keyed alike, one owner per key across groups.
  coPartitioned?: boolean;
  /** Each new generation's assignment (partitions by topic), before its first batch. */
  onAssignment?: (assignment: Record<string, number[]>) => void;
}

/** Work a handler finished except for something that must land before its offset commits. */
export interface Settling {
  settled: Promise<void>;
}

/** Messages of a partition awaiting `settled`, per slot: bounds what a slow produce holds in memory. */
const SETTLING_PER_SLOT = 4;

/** Default wait between a finished message and the commit covering it (and every other partition's). */
export const COMMIT_INTERVAL_MS = 100;
/** Finished events that commit at once, whatever the interval: a crash re-reads at most about this many. */
export const COMMIT_MAX_EVENTS = 200;

/** An idle consumer's fetch cadence: long, because data arriving answers a fetch at once. */
export const FETCH_WAIT_MS = 5000;
/** Delay-tier loops' shortest wait, near a held head's resume; a due head waits in memory up to ~this. */
export const HOLD_FETCH_WAIT_MS = 1000;

/** Hooks for the process's metrics (the loop itself stays free of the registry). */
export interface ConsumerLoopMetrics {
  /** Messages between the last one fetched and the partition's end. */
  lag(topic: string, partition: number, messages: number): void;
  /** Time to process one message, retries included. */
  processed(topic: string, seconds: number): void;
}

function toConsumed(topic: string, partition: number, m: KafkaMessage): ConsumedMessage {
  return {
    topic,
    partition,
    offset: m.offset,
    key: m.key ? m.key.toString() : null,
    value: m.value,
    headers: m.headers ?? {},
    timestamp: m.timestamp,
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Heartbeat answers meaning this member must rejoin: its partitions may be another member's by now. */
const REJOIN_ERRORS = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR_FOR_GROUP',
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
]);

/** Groups (names or name suffixes, comma-separated) whose batches, holds and commits are logged: a diagnostic aid. */
function traced(groupId: string): boolean {
  const groups = (process.env.HERALD_TRACE_CONSUMER_GROUPS ?? '').split(',').filter(Boolean);
  return groups.some((group) => groupId === group || groupId.endsWith(group));
}
/** Slack on top of the fetch wait for the resumed partition's fetch round trip. */
const HOLD_MARGIN_MS = 250;

// Own commits only below the lowest message still in progress, and failures retried until they
// succeed: with `concurrency` messages per partition in flight, nothing is skipped.
export class ConsumerLoop {
  private consumer: Consumer | null = null;
  private readonly trackers = new Map<string, OffsetTracker>();
  /** Messages whose handler is running, per partition (the slots in use). */
  private readonly busy = new Map<string, { used: number }>();
  private readonly inFlight = new Set<Promise<void>>();
  private readonly waiters: (() => void)[] = [];
  private generation = 0;
  /**
   * A heartbeat said the group is rebalancing (or no longer knows this member): no batch starts
   * another message until the next generation. kafkajs rejoins only once every batch in hand has
   * returned, and a member that misses the rebalance timeout is dropped while its partitions go to
   * another member, which reads them again from the last commit: what this one went on starting
   * would be sent twice.
   */
  private rejoining = false;
  private stopping = false;
  private crashed: Error | null = null;
  /** Partitions with finished work not yet committed, flushed together by one timer. */
  private readonly dirty = new Map<
    string,
    { topic: string; partition: number; tracker: OffsetTracker; generation: number }
  >();
  private commitTimer: NodeJS.Timeout | null = null;
  /** Events finished since the last commit went out. */
  private uncommitted = 0;
  private committing: Promise<void> | null = null;
  private readonly holdTimers = new Map<string, NodeJS.Timeout>();
  /** When each held partition is resumed (epoch ms). */
  private readonly resumeAt = new Map<string, number>();
  private readonly trace: Logger | null;

  constructor(
    private readonly client: KafkaClient,
    private readonly options: ConsumerLoopOptions,
    private readonly logger: Logger,
    private readonly metrics?: ConsumerLoopMetrics,
  ) {
    this.trace = traced(options.groupId) ? logger.child({ trace: options.groupId }) : null;
  }

  get running(): boolean {
    return this.consumer !== null && !this.stopping && this.crashed === null;
  }

  /** When the latest fetch returned (epoch ms): no earlier than the one that carried a batch in hand. */
  private lastFetchAt = 0;
  /** When the last fetch that carried messages was handled (epoch ms). */
  private lastDataAt = 0;

  /** Events flowed within the last gather window: the next fetch may wait for more. */
  private get gathering(): boolean {
    const gather = this.options.gather;
    return gather !== undefined && Date.now() - this.lastDataAt < 2 * gather.maxWaitMs;
  }

  private get fetchWaitMs(): number {
    if (this.gathering) return this.options.gather!.maxWaitMs;
    const longest = this.options.fetchWaitMs ?? FETCH_WAIT_MS;
    if (!this.options.holdUntil) return longest;
    // An empty tier waits long; a fetch ends by the next resume, give or take HOLD_FETCH_WAIT_MS.
    const untilResume = Math.min(...this.resumeAt.values()) - Date.now();
    return Math.max(HOLD_FETCH_WAIT_MS, Math.min(longest, untilResume));
  }

  async start(): Promise<void> {
    const consumer = this.client.kafka.consumer({
      groupId: this.options.groupId,
      ...CONSUMER_GROUP_TIMING,
      // Round robin stays offered: a group whose members do not all offer co-partitioning uses it.
      ...(this.options.coPartitioned && {
        partitionAssigners: [coPartitionedAssigner(this.client.instanceId), PartitionAssigners.roundRobin],
      }),
      // kafkajs reads the wait as a number at every fetch (and sleep, with every partition paused).
      maxWaitTimeInMs: { valueOf: () => this.fetchWaitMs } as unknown as number,
      minBytes: { valueOf: () => (this.gathering ? this.options.gather!.minBytes : 1) } as unknown as number,
      allowAutoTopicCreation: false,
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 300, maxRetryTime: 5000 },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.FETCH, () => {
      this.lastFetchAt = Date.now();
    });
    consumer.on(consumer.events.GROUP_JOIN, (event) => {
      this.beginGeneration();
      this.logger.info(
        { groupId: this.options.groupId, assignment: event.payload.memberAssignment },
        'joined consumer group',
      );
      this.options.onAssignment?.(event.payload.memberAssignment);
    });
    restartOnCrash(consumer, {
      name: this.options.groupId,
      logger: this.logger,
      stopping: () => this.stopping,
      restart: () => {
        // The new member starts from the group's committed offsets: work in flight under the
        // crashed one is delivered again (at least once), never skipped.
        for (const timer of this.holdTimers.values()) clearTimeout(timer);
        this.clearCommitTimer();
        this.dirty.clear();
        this.holdTimers.clear();
        this.resumeAt.clear();
        this.beginGeneration();
        return this.start();
      },
      onState: (error) => {
        this.crashed = error;
      },
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: this.options.topics,
      fromBeginning: this.options.fromBeginning ?? true,
    });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.partitionsConsumedConcurrently ?? 3,
      eachBatch: (payload) => this.eachBatch(payload),
    });
  }

  private async eachBatch(payload: EachBatchPayload): Promise<void> {
    try {
      await this.handleBatch(payload);
    } finally {
      // What finished is committed under this generation while the broker still takes it, so the
      // partitions' next owner does not read it again (what is still in flight, it may).
      if (this.rejoining) {
        this.clearCommitTimer();
        await this.committing;
        await this.flushCommits();
      }
    }
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, resolveOffset, isRunning, isStale } = payload;
    const heartbeat = () => this.heartbeat(payload.heartbeat);
    const mustStop = () => !isRunning() || isStale() || this.stopping || this.rejoining;
    const key = `${batch.topic}:${batch.partition}`;
    const generation = this.generation;
    let tracker = this.trackers.get(key);
    if (!tracker) {
      tracker = new OffsetTracker();
      this.trackers.set(key, tracker);
    }
    let slots = this.busy.get(key);
    if (!slots) {
      slots = { used: 0 };
      this.busy.set(key, slots);
    }
    const limit = this.options.concurrency ?? 1;
    if (batch.messages.length > 0) this.lastDataAt = Date.now();
    this.trace?.info(
      { t: batch.topic, p: batch.partition, first: batch.firstOffset(), last: batch.lastOffset(), generation },
      'trace batch',
    );
    if (this.options.beforeBatch) await this.options.beforeBatch(batch.topic, this.lastFetchAt);
    this.metrics?.lag(batch.topic, batch.partition, Number(batch.offsetLagLow()) + 1);

    for (const message of batch.messages) {
      if (mustStop()) {
        this.trace?.info({ t: batch.topic, p: batch.partition, o: message.offset, stale: isStale() }, 'trace break');
        break;
      }
      while (slots.used >= limit || tracker.inFlight >= limit * SETTLING_PER_SLOT) {
        await this.waitForSlot(1000);
        await heartbeat();
        if (mustStop()) return;
      }
      const consumed = toConsumed(batch.topic, batch.partition, message);
      const due = this.options.holdUntil?.(consumed);
      if (due !== undefined && due > Date.now()) {
        if (!(await this.hold(key, batch.topic, batch.partition, message.offset, due, heartbeat))) return;
        if (mustStop()) return;
      }
      tracker.start(message.offset);
      this.trace?.info({ t: batch.topic, p: batch.partition, o: message.offset, generation }, 'trace start');
      // Moves the fetch position on; commits remain ours (autoCommit is off).
      resolveOffset(message.offset);
      const partitionSlots = slots;
      partitionSlots.used += 1;
      let slotHeld = true;
      const freeSlot = () => {
        if (!slotHeld) return;
        slotHeld = false;
        partitionSlots.used -= 1;
        this.releaseSlot();
      };
      const work = this.processWithRetry(consumed, freeSlot).then(
        () => {
          tracker!.finish(message.offset);
          this.scheduleCommit(key, batch.topic, batch.partition, tracker!, generation);
          freeSlot();
          this.releaseSlot();
        },
        // Abandoned because the loop is stopping: left uncommitted, so it is read again.
        () => {
          freeSlot();
          this.releaseSlot();
        },
      );
      this.inFlight.add(work);
      void work.then(() => this.inFlight.delete(work));
      if (limit === 1) {
        await work;
        await heartbeat();
      }
    }
    this.metrics?.lag(batch.topic, batch.partition, Math.max(0, Number(batch.offsetLag())));
    await heartbeat();
  }

  /** A new generation (or a new member): offsets tracked before it may no longer be ours to commit. */
  private beginGeneration(): void {
    this.generation += 1;
    this.rejoining = false;
    this.trackers.clear();
    this.busy.clear();
  }

  /**
   * kafkajs's heartbeat (sent at most once per heartbeat interval). One that says this member must
   * rejoin stops every batch in hand (`rejoining`) and is thrown, so kafkajs rejoins now; any other
   * failure (a broker unreachable for a moment) lets the batch go on.
   */
  private async heartbeat(beat: () => Promise<void>): Promise<void> {
    try {
      await beat();
    } catch (error) {
      if (!REJOIN_ERRORS.has((error as { type?: string }).type ?? '')) return;
      if (!this.rejoining)
        this.logger.info({ groupId: this.options.groupId, err: error }, 'group rebalancing: batches stop');
      this.rejoining = true;
      throw error;
    }
  }

  // kafkajs fetches a resumed partition only once the fetch in flight returns, so a head due within
  // that lead waits here in memory; a later one pauses the partition. True: handle it now.
  private async hold(
    key: string,
    topic: string,
    partition: number,
    offset: string,
    due: number,
    heartbeat: () => Promise<void>,
  ): Promise<boolean> {
    const consumer = this.consumer;
    this.trace?.info({ key, offset, due, timer: this.holdTimers.has(key) }, 'trace hold');
    if (!consumer || this.holdTimers.has(key)) return false;
    const lead = HOLD_FETCH_WAIT_MS + HOLD_MARGIN_MS;
    if (due - Date.now() <= lead) {
      // Blocks this consumer's next fetch for at most `lead`; heartbeats keep the member alive.
      for (let left = due - Date.now(); left > 0 && !this.stopping && !this.rejoining; left = due - Date.now()) {
        await sleep(Math.min(left, 2000));
        await heartbeat();
      }
      return !this.stopping && !this.rejoining;
    }
    consumer.pause([{ topic, partitions: [partition] }]);
    consumer.seek({ topic, partition, offset });
    this.resumeAt.set(key, due - lead);
    this.holdTimers.set(
      key,
      setTimeout(
        () => {
          this.holdTimers.delete(key);
          this.resumeAt.delete(key);
          this.trace?.info({ key }, 'trace resume');
          if (!this.stopping) consumer.resume([{ topic, partitions: [partition] }]);
        },
        due - lead - Date.now(),
      ),
    );
    return false;
  }

  /** One consumer span per message, child of the producer's (`traceparent` header). */
  private processWithRetry(message: ConsumedMessage, freeSlot: () => void): Promise<void> {
    const started = performance.now();
    const attributes = {
      'messaging.system': 'kafka',
      'messaging.destination.name': message.topic,
      'messaging.consumer.group.name': this.options.groupId,
      'messaging.destination.partition.id': String(message.partition),
      'messaging.kafka.offset': Number(message.offset),
    };
    return inSpan(
      `process ${message.topic}`,
      { kind: SpanKind.CONSUMER, parent: contextFromHeaders(message.headers), attributes },
      () => this.retryUntilDone(message, freeSlot),
    ).finally(() => this.metrics?.processed(message.topic, (performance.now() - started) / 1000));
  }

  private async retryUntilDone(message: ConsumedMessage, freeSlot: () => void): Promise<void> {
    let delay = 200;
    for (;;) {
      try {
        const outcome = await this.options.handle(message);
        if (outcome) {
          freeSlot();
          await outcome.settled;
        }
        return;
      } catch (error) {
        if (this.stopping) throw new Error('stopping');
        this.logger.warn(
          { err: error, topic: message.topic, partition: message.partition, offset: message.offset },
          'message processing failed; retrying',
        );
        await sleep(delay);
        delay = Math.min(delay * 2, 5000);
      }
    }
  }

  private waitForSlot(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private releaseSlot(): void {
    const waiters = this.waiters.splice(0);
    for (const wake of waiters) wake();
  }

  private scheduleCommit(
    key: string,
    topic: string,
    partition: number,
    tracker: OffsetTracker,
    generation: number,
  ): void {
    this.dirty.set(key, { topic, partition, tracker, generation });
    this.uncommitted += 1;
    // While a commit is in flight, its end arms the timer.
    if (this.committing) return;
    if (this.uncommitted >= COMMIT_MAX_EVENTS) {
      this.clearCommitTimer();
      void this.flushCommits();
    } else this.armCommitTimer();
  }

  private armCommitTimer(): void {
    if (this.commitTimer) return;
    this.commitTimer = setTimeout(() => {
      this.commitTimer = null;
      void this.flushCommits();
    }, this.options.commitIntervalMs ?? COMMIT_INTERVAL_MS);
  }

  private clearCommitTimer(): void {
    if (this.commitTimer) clearTimeout(this.commitTimer);
    this.commitTimer = null;
  }

  /** Commits every dirty partition of the current generation in one request; one commit at a time. */
  private flushCommits(): Promise<void> {
    const run = async () => {
      const consumer = this.consumer;
      const entries = [...this.dirty.values()].filter((e) => e.generation === this.generation);
      this.dirty.clear();
      this.uncommitted = 0;
      const offsets = entries
        .map((e) => ({ ...e, offset: e.tracker.committable() }))
        .filter((e): e is typeof e & { offset: string } => e.offset !== null);
      if (!consumer || offsets.length === 0) return;
      try {
        await consumer.commitOffsets(offsets.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
        for (const e of offsets) e.tracker.markCommitted(e.offset);
        this.trace?.info({ offsets: offsets.map((e) => `${e.topic}:${e.partition}@${e.offset}`) }, 'trace committed');
      } catch (error) {
        // A later commit carries this progress too; a lost one only means repeated work.
        this.logger.warn({ err: error, partitions: offsets.length }, 'offset commit failed');
      }
    };
    const committing = run().finally(() => {
      this.committing = null;
      // Work finished during the request waits for the next interval, not for more work.
      if (this.dirty.size === 0 || this.stopping) return;
      if (this.uncommitted >= COMMIT_MAX_EVENTS) void this.flushCommits();
      else this.armCommitTimer();
    });
    this.committing = committing;
    return committing;
  }

  /** Stops fetching, lets in-flight messages finish (up to `timeoutMs`), commits, disconnects. */
  async stop(timeoutMs = 15000): Promise<void> {
    if (!this.consumer || this.stopping) return;
    this.stopping = true;
    const consumer = this.consumer;
    consumer.pause(this.options.topics.map((topic) => ({ topic })));
    const drained = Promise.allSettled([...this.inFlight]);
    await Promise.race([drained, sleep(timeoutMs)]);
    for (const timer of this.holdTimers.values()) clearTimeout(timer);
    this.clearCommitTimer();
    this.holdTimers.clear();
    this.resumeAt.clear();
    await this.committing;
    // The last commit: every partition's progress in one request.
    for (const [key, tracker] of this.trackers) {
      const [topic, partition] = [key.slice(0, key.lastIndexOf(':')), Number(key.slice(key.lastIndexOf(':') + 1))];
      this.dirty.set(key, { topic, partition, tracker, generation: this.generation });
    }
    await this.flushCommits();
    await consumer.disconnect().catch(() => undefined);
    this.consumer = null;
  }

  /** Readiness: the consumer has not crashed for good. */
  check(): void {
    if (this.crashed) throw new Error(`consumer ${this.options.groupId} crashed: ${this.crashed.message}`);
    if (!this.consumer) throw new Error(`consumer ${this.options.groupId} is not running`);
  }
}

/** A group id that is unique to this process, for consumers that must read every partition. */
export function privateGroupId(base: string): string {
  return `${base}-${randomUUID()}`;
}
