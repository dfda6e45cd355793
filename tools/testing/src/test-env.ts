import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type IHeaders } from 'kafkajs';
import { Client } from 'pg';

export function testBrokers(): string {
  const brokers = process.env.HERALD_TEST_KAFKA_BROKERS;
  if (!brokers)
    throw new Error('HERALD_TEST_KAFKA_BROKERS is not set: run through npm test or jest (global setup starts Kafka)');
  return brokers;
}

function testDatabaseUrl(): string {
  const url = process.env.HERALD_TEST_DATABASE_URL;
  if (!url)
    throw new Error(
      'HERALD_TEST_DATABASE_URL is not set: run through npm test or jest (global setup starts PostgreSQL)',
    );
  return url;
}

/** A short random name part, so test files never share topics or databases. */
export function uniqueName(prefix = 't'): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

/** A fresh, empty database on the test PostgreSQL server; returns its URL. */
export async function createTestDatabase(name = uniqueName('db_')): Promise<string> {
  const base = new URL(testDatabaseUrl());
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  base.pathname = `/${name}`;
  return base.toString();
}

export function testKafka(clientId = 'herald-test'): Kafka {
  return new Kafka({ clientId, brokers: [testBrokers()], logLevel: logLevel.NOTHING });
}

/** Produces raw values (strings are sent as-is, anything else as JSON). */
export async function produceRaw(
  topic: string,
  messages: { key?: string | null; value: unknown; headers?: IHeaders }[],
): Promise<void> {
  const producer = testKafka().producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: messages.map((m) => ({
        key: m.key ?? null,
        value: typeof m.value === 'string' || Buffer.isBuffer(m.value) ? (m.value as string) : JSON.stringify(m.value),
        headers: m.headers,
      })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Reads a topic from the beginning until `count` messages arrived or the time ran out. */
export async function readTopic(
  topic: string,
  count: number,
  timeoutMs = 20000,
): Promise<{ key: string | null; value: string | null }[]> {
  const consumer = testKafka().consumer({ groupId: uniqueName('reader-'), maxWaitTimeInMs: 100 });
  const received: { key: string | null; value: string | null }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const done = new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          received.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null });
          if (received.length >= count) resolve();
        },
      });
      setTimeout(resolve, timeoutMs);
    });
    await done;
  } finally {
    await consumer.disconnect();
  }
  return received;
}

/** Polls until `probe` returns a value that is not undefined/false, or throws after the timeout. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  timeoutMs = 20000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${what} not reached within ${timeoutMs} ms${last ? `: ${(last as Error).message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
