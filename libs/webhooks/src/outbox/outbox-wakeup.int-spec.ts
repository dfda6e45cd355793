import type { Consumer } from 'kafkajs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { FETCH_WAIT_MS } from '@herald/kafka';
import { eventually, testKafka, uniqueName } from '@herald/testing';
import { OUTBOX_SAFETY_POLL_MS } from '../outbox-relay';
import { startSubscriptionApi, type SubscriptionApiHarness } from '../testing/subscription-api-harness';

jest.setTimeout(120_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every bound is a third of the shortest timer it disproves (FETCH_WAIT_MS; the relay's 30 s poll), so a busy
 * machine cannot make a timer pass for a wake-up.
 */
describe('outbox relay wake-ups (real PostgreSQL and Kafka)', () => {
  let api: SubscriptionApiHarness;
  let db: Client;
  let consumer: Consumer;
  const arrived = new Map<string, number>();

  beforeAll(async () => {
    api = await startSubscriptionApi();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    // A consumer waiting as long as Herald's own: only a record ends its fetch early.
    consumer = testKafka().consumer({
      groupId: uniqueName('outbox-wake-'),
      maxWaitTimeInMs: FETCH_WAIT_MS,
      minBytes: 1,
    });
    await consumer.connect();
    await consumer.subscribe({ topic: `${api.prefix}webhooks.subscriptions`, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        arrived.set(message.key!.toString(), Date.now());
      },
    });
  }, 90_000);

  afterAll(async () => {
    await consumer?.disconnect();
    await db?.end();
    await api?.close();
  });

  it('an idle relay makes no database round trips, then relays a write at once', async () => {
    const warm = await api.request('POST', '/v1/webhooks', {
      body: { name: 'warm', url: 'http://127.0.0.1:9/h', events: ['*'] },
    });
    expect(warm.status).toBe(201);
    await eventually(async () => arrived.has(warm.body.id), 30_000, 'warm-up snapshot on the topic');

    const dataSource = api.app.get(DataSource);
    const runners = jest.spyOn(dataSource, 'createQueryRunner');
    await sleep(3000);
    // The old 250 ms poll opened a query runner ~12 times here.
    expect(runners).not.toHaveBeenCalled();
    runners.mockRestore();

    const started = Date.now();
    const created = await api.request('POST', '/v1/webhooks', {
      body: { name: 'after idle', url: 'http://127.0.0.1:9/h', events: ['*'] },
    });
    expect(created.status).toBe(201);
    await eventually(async () => arrived.has(created.body.id), 20_000, 'snapshot after idle on the topic');
    const took = arrived.get(created.body.id)! - started;
    process.stdout.write(`outbox wake-up: API write after 3 s idle on the topic in ${took} ms\n`);
    expect(took).toBeLessThan(FETCH_WAIT_MS / 3);
  });

  it("a row another writer commits (another replica's) is relayed through NOTIFY, not the safety poll", async () => {
    expect(OUTBOX_SAFETY_POLL_MS).toBeGreaterThan(3 * FETCH_WAIT_MS);
    await sleep(2000);
    const key = uniqueName('foreign-');
    const started = Date.now();
    await db.query('INSERT INTO outbox (topic, key, value) VALUES ($1, $2, $3)', [
      `${api.prefix}webhooks.subscriptions`,
      key,
      JSON.stringify({ foreign: true }),
    ]);
    await eventually(async () => arrived.has(key), 20_000, 'foreign outbox row on the topic');
    const took = arrived.get(key)! - started;
    process.stdout.write(`outbox wake-up: row from another writer on the topic in ${took} ms\n`);
    expect(took).toBeLessThan(FETCH_WAIT_MS / 3);
    await eventually(
      async () => (await db.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n === 0,
      10_000,
      'outbox emptied',
    );
  });
});
