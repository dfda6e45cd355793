import { resolve } from 'node:path';
import { eventIdForIdempotencyKey, type EventEnvelope } from '@herald/contracts';
import { ServiceProcess, freePort } from '@herald/stack';
import {
  Receiver,
  TEST_ADMIN_KEY,
  eventually,
  produceRaw,
  readTopic,
  startTestStack,
  type TestStack,
} from '@herald/testing';

jest.setTimeout(180_000);

/** Long enough for a stray second delivery to have arrived after the first. */
const SETTLE_MS = 3000;
const KEYS = 40;

/**
 * Two event-ingest instances receive one idempotency key at the same moment. Each may publish
 * before it sees the other's key on the shared topic; the envelopes then carry one derived event
 * id and the matcher fans that id out once.
 */
describe('idempotency across racing event-ingest instances', () => {
  let stack: TestStack;
  let second: ServiceProcess;
  const receiver = new Receiver();

  const deliveriesOf = (eventId: string) => receiver.requests.filter((r) => JSON.parse(r.body).eventId === eventId);
  const post = (baseUrl: string, body: unknown) =>
    fetch(`${baseUrl}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }).then((response) => response.status);

  beforeAll(async () => {
    await receiver.start();
    stack = await startTestStack();
    const first = stack.services['event-ingest'].options;
    second = new ServiceProcess({
      ...first,
      port: await freePort(),
      logDir: resolve(first.logDir, 'second-ingest'),
      readyTimeoutMs: 180_000,
    });
    await second.start();
    const created = await stack.api('/v1/webhooks', {
      method: 'POST',
      body: { url: `${receiver.url}/hooks`, events: ['order.*'] },
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await second?.stop();
    await stack?.stop();
    await receiver.stop();
  });

  it('delivers each key once when both instances accept it at the same moment', async () => {
    const instances = [stack.services['event-ingest'].url, second.url];
    const keys = Array.from({ length: KEYS }, (_, i) => `race-${i}`);
    const answers = await Promise.all(
      keys.map((key, i) =>
        Promise.all(
          instances.map((url) =>
            post(url, { eventType: 'order.paid', tenantId: 'default', idempotencyKey: key, data: { n: i } }),
          ),
        ),
      ),
    );
    for (const statuses of answers) expect(statuses.every((s) => s === 200 || s === 202)).toBe(true);
    const eventIds = keys.map((key) => eventIdForIdempotencyKey('default', key));
    await eventually(async () => eventIds.every((id) => deliveriesOf(id).length > 0), 60_000, 'every key delivered');
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const envelopes = (await readTopic(`${stack.prefix}webhooks.events`, Number.MAX_SAFE_INTEGER, SETTLE_MS)).map(
      (m) => JSON.parse(m.value ?? '{}') as EventEnvelope,
    );
    const published = eventIds.map((id) => envelopes.filter((e) => e.eventId === id).length);
    // How often both instances published (the race this test is about); logged, as load decides it.
    console.log(`ingest race: ${published.filter((n) => n > 1).length} of ${KEYS} keys published by both instances`);
    expect(published.every((n) => n >= 1)).toBe(true);
    expect(eventIds.map((id) => deliveriesOf(id).length)).toEqual(eventIds.map(() => 1));
  });

  it('delivers once when the events topic holds the same envelope twice (what a lost race leaves)', async () => {
    const eventId = eventIdForIdempotencyKey('default', 'forced-race');
    const envelope: EventEnvelope = {
      eventId,
      eventType: 'order.paid',
      tenantId: 'default',
      occurredAt: new Date().toISOString(),
      receivedAt: new Date().toISOString(),
      source: 'http',
      schemaVersion: 1,
      data: { n: -1 },
      idempotencyKey: 'forced-race',
    };
    await produceRaw(`${stack.prefix}webhooks.events`, [
      { key: 'default', value: envelope },
      { key: 'default', value: { ...envelope, receivedAt: new Date(Date.now() + 1).toISOString() } },
    ]);
    await eventually(async () => deliveriesOf(eventId).length > 0, 60_000, 'the forced repeat delivered');
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    expect(deliveriesOf(eventId)).toHaveLength(1);
    const matcherMetrics = await (await fetch(`${stack.services.matcher.url}/metrics`)).text();
    const repeated = /^herald_events_repeated_total(?:\{[^}]*\})? (\d+)/m.exec(matcherMetrics);
    expect(Number(repeated?.[1])).toBeGreaterThanOrEqual(1);
  });
});
