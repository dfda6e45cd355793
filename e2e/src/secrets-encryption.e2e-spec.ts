import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { Receiver, eventually, startTestStack, testKafka, type TestStack } from '@herald/testing';

jest.setTimeout(420_000);

const K1 = `k1:${randomBytes(32).toString('base64')}`;
const K2 = `k2:${randomBytes(32).toString('base64')}`;
const STATIC_KEY = `xkey-${randomBytes(12).toString('hex')}`;

/** Every record of every topic of this stack, as text (keys, values and headers). */
async function allKafkaText(prefix: string): Promise<string> {
  const kafka = testKafka();
  const admin = kafka.admin();
  await admin.connect();
  const topics = (await admin.listTopics()).filter((t) => t.startsWith(prefix));
  const expected = new Map<string, number>();
  for (const topic of topics) {
    const offsets = await admin.fetchTopicOffsets(topic);
    expected.set(
      topic,
      offsets.reduce((n, o) => n + Number(o.high) - Number(o.low), 0),
    );
  }
  await admin.disconnect();
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  const consumer = kafka.consumer({ groupId: `scan-${randomBytes(4).toString('hex')}`, maxWaitTimeInMs: 200 });
  const parts: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topics, fromBeginning: true });
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 60_000);
    void consumer.run({
      eachMessage: async ({ message }) => {
        parts.push(
          message.key?.toString() ?? '',
          message.value?.toString() ?? '',
          JSON.stringify(message.headers ?? {}),
        );
        if (parts.length / 3 >= total) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  expect(parts.length / 3).toBe(total);
  return parts.join('\n');
}

/** Every row of every table of the stack's database, as JSON text. */
async function allDatabaseText(databaseUrl: string): Promise<string> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows: tables } = await db.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'",
    );
    const texts: string[] = [];
    for (const { name } of tables) {
      const { rows } = await db.query<{ t: string }>(`SELECT row_to_json(x)::text AS t FROM "${name}" x`);
      texts.push(...rows.map((r) => r.t));
    }
    return texts.join('\n');
  } finally {
    await db.end();
  }
}

async function sealedColumns(databaseUrl: string): Promise<string[]> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const { rows } = await db.query<Record<string, string | null>>(
      'SELECT secret, previous_secret, private_key, static_key FROM webhooks',
    );
    return rows.flatMap((r) => Object.values(r).filter((v): v is string => v !== null));
  } finally {
    await db.end();
  }
}

describe('webhook secrets are sealed in PostgreSQL and on Kafka, and survive a key-encryption-key rotation', () => {
  let stack: TestStack;
  const receiver = new Receiver();
  const secrets = new Map<string, string>();

  beforeAll(async () => {
    await receiver.start();
    stack = await startTestStack({ env: { '*': { HERALD_KEKS: K1 } } });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
  });

  /** Publishes one event and checks each of the three webhooks got it, signed with its own secret. */
  async function deliversSigned(round: string): Promise<void> {
    const published = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'vault.checked', tenantId: 'default', data: { round } },
    });
    expect(published.status).toBe(202);
    for (const [path, secret] of secrets) {
      const request = await eventually(
        async () => receiver.requests.find((q) => q.path === path && q.body.includes(`"round":"${round}"`)),
        90_000,
        `round ${round} at ${path}`,
      );
      expect(new Webhook(secret).verify(request.body, request.headers as Record<string, string>)).toMatchObject({
        data: { round },
      });
      if (path === '/static') expect(request.headers['x-key']).toBe(STATIC_KEY);
      if (path === '/ed25519') expect(String(request.headers['webhook-signature'])).toMatch(/v1a,/);
    }
  }

  async function restartWithKeys(keys: string): Promise<void> {
    for (const name of ['subscription-api', 'deliverer'] as const) {
      const service = stack.services[name];
      service.options.env.HERALD_KEKS = keys;
      await service.stop();
      await service.start();
    }
  }

  it('stores and publishes no secret in clear; deliveries verify before, during and after a rotation', async () => {
    for (const [path, extra] of [
      ['/plain', {}],
      ['/static', { staticKey: STATIC_KEY }],
      ['/ed25519', { signatureProfiles: ['standard', 'asymmetric'] }],
    ] as const) {
      const created = await stack.api('/v1/webhooks', {
        method: 'POST',
        body: { url: `${receiver.url}${path}`, events: ['vault.checked'], ...extra },
      });
      expect(created.status).toBe(201);
      secrets.set(path, created.body.secret);
    }
    await deliversSigned('before');

    const clearValues = [...secrets.values()].flatMap((s) => [s, s.replace(/^whsec_/, '')]).concat(STATIC_KEY);
    const sealed = await sealedColumns(stack.databaseUrl);
    expect(sealed.length).toBeGreaterThanOrEqual(5); // 3 secrets, the static key, the private key
    for (const value of sealed) expect(value).toMatch(/^hsb1:k1:/);
    const database = await allDatabaseText(stack.databaseUrl);
    const kafka = await allKafkaText(stack.prefix);
    expect(kafka).toContain('hsb1:k1:'); // the snapshots are there, sealed
    for (const clear of clearValues) {
      expect(database).not.toContain(clear);
      expect(kafka).not.toContain(clear);
    }

    // Rotation: the new key first, the old one kept; subscription-api seals everything again at start.
    await restartWithKeys(`${K2},${K1}`);
    await eventually(
      async () => (await sealedColumns(stack.databaseUrl)).every((v) => v.startsWith('hsb1:k2:')),
      30_000,
      'every secret sealed under k2',
    );
    await deliversSigned('during');

    // The old key dropped: everything still opens and delivers.
    await restartWithKeys(K2);
    await deliversSigned('after');
    const kafkaAfter = await allKafkaText(stack.prefix);
    for (const clear of clearValues) expect(kafkaAfter).not.toContain(clear);
  });
});
