import {
  type ICustomPartitioner,
  type Message,
  type Producer,
  type ProducerBatch,
  type ProducerRecord,
  type RecordMetadata,
  type TopicMessages,
} from 'kafkajs';
import { murmur2 } from './murmur2';

// kafkajs's partitioner, built around the hash it is given (its default passes its own murmur2).
const kafkajsPartitioner = require('kafkajs/src/producer/partitioners/legacy/partitioner') as (
  hash: (key: Buffer | string) => number,
) => ICustomPartitioner;

/**
 * kafkajs's default partitioner (Java-compatible: a key's partition is murmur2(key) mod partitions,
 * keyless records round-robin over available partitions) with the allocation-free murmur2.
 */
export const keyedPartitioner = (): ReturnType<ICustomPartitioner> => kafkajsPartitioner(murmur2)();

/** The part of a kafkajs producer Herald uses. */
export type ProducerLike = Pick<Producer, 'connect' | 'disconnect' | 'send' | 'sendBatch'>;

interface Pending {
  topic: string;
  messages: Message[];
  bytes: number;
  resolve: (metadata: RecordMetadata[]) => void;
  reject: (error: unknown) => void;
}

/** Errors after which an idempotent producer's sequence state is wrong for good (kafkajs#598). */
const FENCED_PRODUCER_ERRORS = new Set([
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'UNKNOWN_PRODUCER_ID',
  'INVALID_PRODUCER_EPOCH',
]);

/** The kafkajs protocol error type inside a send's error (kafkajs nests them in cause/errors). */
export function producerFenced(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { type?: unknown; cause?: unknown; originalError?: unknown; errors?: unknown };
  if (typeof e.type === 'string' && FENCED_PRODUCER_ERRORS.has(e.type)) return true;
  const nested = [e.cause, e.originalError, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((inner) => producerFenced(inner, depth + 1));
}

/**
 * The partition kafkajs's partitioner chose for each message object sent. kafkajs 2.2.4 keeps a
 * multi-broker send's answers per broker: when a broker fails and its partitions move to a broker
 * that had already answered, the retry skips them and the send resolves without them (their
 * records are never written). The producer compares what it sent with the answers and resends.
 */
export class ChosenPartitions {
  private readonly chosen = new WeakMap<Message, number>();

  /** kafkajs's default (Java-compatible murmur2) partitioner, recording each choice. */
  readonly createPartitioner: ICustomPartitioner = () => {
    const partitioner = keyedPartitioner();
    return (args) => {
      const partition = partitioner(args);
      this.chosen.set(args.message, partition);
      return partition;
    };
  };

  get(message: Message): number | undefined {
    return this.chosen.get(message);
  }
}

/** Sent messages whose partition is missing from the send's answers, pinned to that partition. */
export function unanswered(
  topicMessages: TopicMessages[],
  answers: RecordMetadata[],
  chosen: ChosenPartitions,
): TopicMessages[] {
  const answered = new Set(answers.map((m) => `${m.topicName}\0${m.partition}`));
  const missing: TopicMessages[] = [];
  for (const { topic, messages } of topicMessages) {
    const left: Message[] = [];
    for (const message of messages) {
      const partition = chosen.get(message);
      if (partition !== undefined && !answered.has(`${topic}\0${partition}`)) left.push({ ...message, partition });
    }
    if (left.length > 0) missing.push({ topic, messages: left });
  }
  return missing;
}

/** Rounds of resending what a send left out before the callers are told it failed. */
const MAX_RESEND_ROUNDS = 5;

/** Replaces a producer whose idempotence state broke: a fresh one gets a new producer id. */
export interface ProducerRenewal {
  create: () => ProducerLike;
  /** Told each time (for a log line and a metric). */
  renewed?: (error: unknown) => void;
}

/** Checks each send's answers against the partitions chosen for its messages (see ChosenPartitions). */
export interface SendCheck {
  chosen: ChosenPartitions;
  /** Told each time messages left out of a send are sent again (for a log line and a metric). */
  resent?: (messages: number, partitions: string[]) => void;
}

const sizeOf = (messages: Message[]) => {
  let bytes = 0;
  for (const m of messages) bytes += (typeof m.value === 'string' ? m.value.length : (m.value?.length ?? 0)) + 64;
  return bytes;
};

// The idempotent producer allows one request in flight, so sends made meanwhile queue and leave
// together in the next one. Nothing waits when idle, order is kept, and each caller's promise
// settles with the request that carried its messages.
export class CoalescingProducer implements ProducerLike {
  private queue: Pending[] = [];
  private queuedBytes = 0;
  private draining = false;
  private direct: Promise<unknown> = Promise.resolve();
  private lingerTimer: NodeJS.Timeout | null = null;
  /** Since when every produce request has failed (ms, `now()`), or null while the last one succeeded. */
  private failingFrom: number | null = null;

  constructor(
    private producer: ProducerLike,
    private readonly maxRequestBytes = 900 * 1024,
    // Records nobody waits on (ms per topic, 0 = none) wait this long for company; any other send takes them along.
    private readonly lingerMs: (topic: string) => number = () => 0,
    private readonly renewal?: ProducerRenewal,
    private readonly now: () => number = Date.now,
    private readonly check?: SendCheck,
  ) {}

  /**
   * Throws when every produce request of the last `ms` failed (a producer stuck after a broker
   * failover, or brokers out of reach): readiness then takes the instance out of rotation.
   */
  checkHealthy(ms: number): void {
    if (this.failingFrom === null) return;
    const failingMs = this.now() - this.failingFrom;
    if (failingMs >= ms)
      throw new Error(`every Kafka produce request failed for the last ${Math.round(failingMs / 1000)} s`);
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  async disconnect(): Promise<void> {
    if (this.lingerTimer) this.startDrain();
    while (this.draining) await new Promise((resolve) => setImmediate(resolve));
    await this.producer.disconnect();
  }

  /** Coalesced when it is a plain acks=all send (every send Herald makes); else passed through in order. */
  send(record: ProducerRecord): Promise<RecordMetadata[]> {
    const { topic, messages, acks, ...rest } = record;
    if (acks !== -1 || Object.keys(rest).length > 0) return this.enqueueDirect(() => this.producer.send(record));
    return this.enqueue([{ topic, messages }]);
  }

  sendBatch(batch: ProducerBatch): Promise<RecordMetadata[]> {
    const { topicMessages, acks, ...rest } = batch;
    if (acks !== -1 || Object.keys(rest).length > 0 || !topicMessages)
      return this.enqueueDirect(() => this.producer.sendBatch(batch));
    return this.enqueue(topicMessages);
  }

  private enqueue(entries: TopicMessages[]): Promise<RecordMetadata[]> {
    const sent = entries.map(
      ({ topic, messages }) =>
        new Promise<RecordMetadata[]>((resolve, reject) => {
          const bytes = sizeOf(messages);
          this.queuedBytes += bytes;
          this.queue.push({ topic, messages, bytes, resolve, reject });
        }),
    );
    const linger = Math.min(...entries.map((e) => this.lingerMs(e.topic)));
    // A quarter of a request's worth has company enough: waiting longer only holds offsets back.
    if (linger <= 0 || this.queuedBytes >= this.maxRequestBytes / 4) this.startDrain();
    else if (!this.draining && !this.lingerTimer) this.lingerTimer = setTimeout(() => this.startDrain(), linger);
    return sent.length === 1 ? sent[0] : Promise.all(sent).then((all) => all.flat());
  }

  private startDrain(): void {
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    if (this.draining) return;
    this.draining = true;
    // Sends made in the same turn of the event loop (a consumer batch's handlers) leave together.
    queueMicrotask(() => void this.drain());
  }

  /** Anything unusual waits for the queue to empty, then goes alone. */
  private enqueueDirect(run: () => Promise<RecordMetadata[]>): Promise<RecordMetadata[]> {
    const next = this.direct.then(async () => {
      while (this.draining) await new Promise((resolve) => setImmediate(resolve));
      return run();
    });
    this.direct = next.catch(() => undefined);
    return next;
  }

  // After a broker failover kafkajs's idempotent producer can keep failing every send with
  // OUT_OF_ORDER_SEQUENCE_NUMBER (kafkajs#598): swap in a new one and send the request again once.
  private async sendRenewing(topicMessages: TopicMessages[]): Promise<RecordMetadata[]> {
    try {
      return await this.producer.sendBatch({ acks: -1, topicMessages });
    } catch (error) {
      if (!this.renewal || !producerFenced(error)) throw error;
      const stale = this.producer;
      this.producer = this.renewal.create();
      this.renewal.renewed?.(error);
      await stale.disconnect().catch(() => undefined);
      await this.producer.connect();
      return this.producer.sendBatch({ acks: -1, topicMessages });
    }
  }

  /** Sends, then sends again whatever the answers leave out, until every partition answered. */
  private async sendComplete(topicMessages: TopicMessages[]): Promise<RecordMetadata[]> {
    const answers = await this.sendRenewing(topicMessages);
    if (!this.check) return answers;
    for (let round = 1; ; round++) {
      const missing = unanswered(topicMessages, answers, this.check.chosen);
      if (missing.length === 0) return answers;
      const partitions = [...new Set(missing.flatMap((t) => t.messages.map((m) => `${t.topic}:${m.partition}`)))];
      if (round > MAX_RESEND_ROUNDS)
        throw new Error(`Kafka did not acknowledge ${partitions.join(', ')} after ${MAX_RESEND_ROUNDS} resends`);
      this.check.resent?.(
        missing.reduce((n, t) => n + t.messages.length, 0),
        partitions,
      );
      answers.push(...(await this.sendRenewing(missing)));
    }
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const taken: Pending[] = [];
        let bytes = 0;
        while (this.queue.length > 0 && (taken.length === 0 || bytes + this.queue[0].bytes <= this.maxRequestBytes)) {
          const next = this.queue.shift()!;
          this.queuedBytes -= next.bytes;
          bytes += next.bytes;
          taken.push(next);
        }
        // One entry per topic, messages in call order: per-partition order is kept.
        const byTopic = new Map<string, Message[]>();
        for (const p of taken) {
          const list = byTopic.get(p.topic);
          if (list) list.push(...p.messages);
          else byTopic.set(p.topic, [...p.messages]);
        }
        const topicMessages: TopicMessages[] = [...byTopic].map(([topic, messages]) => ({ topic, messages }));
        try {
          const metadata = await this.sendComplete(topicMessages);
          this.failingFrom = null;
          for (const p of taken) p.resolve(metadata.filter((m) => m.topicName === p.topic));
        } catch (error) {
          this.failingFrom ??= this.now();
          for (const p of taken) p.reject(error);
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
