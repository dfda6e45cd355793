import type { AddressInfo } from 'node:net';
import { Module, type INestApplication } from '@nestjs/common';
import { OPERATIONAL_EVENT_TYPES, isOperationalEventType } from '@herald/contracts';
import { AuthModule, runService } from '@herald/http';
import { IngestModule } from '@herald/ingest';
import { KafkaModule } from '@herald/kafka';
import { ObservabilityModule, createLogger } from '@herald/observability';
import { eventually, produceRaw, readTopic } from '@herald/testing';
import {
  HARNESS_ADMIN_KEY,
  startSubscriptionApi,
  type SubscriptionApiHarness,
} from '../testing/subscription-api-harness';

jest.setTimeout(60_000);

/** The declared types of a list answer (Herald's operational types are always listed too). */
const declared = (body: { data: { name: string }[] }) =>
  body.data.map((t) => t.name).filter((name) => !isOperationalEventType(name));

const agentSchema = {
  type: 'object',
  required: ['agentName'],
  properties: { agentName: { type: 'string', maxLength: 100 } },
};

/** event-ingest in this process, on the same Kafka prefix as the subscription API under test. */
async function startIngest(api: SubscriptionApiHarness): Promise<{ app: INestApplication; url: string }> {
  const logger = createLogger('event-ingest', 'silent');
  const topics = { ingest: `${api.prefix}webhooks.ingest` };
  @Module({
    imports: [
      ObservabilityModule.forRoot({ service: 'event-ingest', logger }),
      KafkaModule.forRoot(
        {
          brokers: api.config.KAFKA_BROKERS,
          clientId: 'herald-event-ingest',
          topicPrefix: api.prefix,
          partitions: 3,
          replicationFactor: 1,
          createTopics: true,
        },
        { shutdownTimeoutMs: 5000 },
      ),
      AuthModule.forRoot({ adminApiKey: HARNESS_ADMIN_KEY, defaultTenant: 'default' }),
      IngestModule.forRoot({ sourceTopics: [topics.ingest], maxEventBytes: 262_144 }),
    ],
  })
  class IngestUnderTest {}
  const app = await runService({
    service: 'event-ingest',
    module: IngestUnderTest,
    host: '127.0.0.1',
    port: 0,
    logger,
  });
  return { app, url: `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}` };
}

describe('event-type catalog: API, webhook subscription checks and event-ingest validation (real PostgreSQL and Kafka)', () => {
  let api: SubscriptionApiHarness;
  let ingest: { app: INestApplication; url: string };
  let tenantKey: string;
  const publish = async (event: unknown) => {
    const res = await fetch(`${ingest.url}/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${HARNESS_ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(event),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const hook = (events: string[]) => ({ name: 'catalog', url: 'http://127.0.0.1:9/hooks', events });

  beforeAll(async () => {
    api = await startSubscriptionApi();
    ingest = await startIngest(api);
    const key = await api.request('POST', '/v1/api-keys', {
      body: { name: 'tenant admin', scopes: ['admin'], tenantId: 'acme' },
    });
    tenantKey = key.body.key;
  }, 120_000);

  afterAll(async () => {
    await ingest?.app.close();
    await api?.close();
  });

  it('accepts any event type while the catalog is empty', async () => {
    const empty = (await api.request('GET', '/v1/event-types')).body;
    expect(empty.data.map((t: { name: string }) => t.name)).toEqual([...OPERATIONAL_EVENT_TYPES].sort());
    expect((await api.request('POST', '/v1/webhooks', { body: hook(['anything.goes']) })).status).toBe(201);
    expect((await publish({ eventType: 'anything.goes', tenantId: 'acme', data: {} })).status).toBe(202);
  });

  it('lets only the platform operator change the catalog, and checks the schema it is given', async () => {
    const byTenant = await api.request('POST', '/v1/event-types', { key: tenantKey, body: { name: 'agent.created' } });
    expect(byTenant.status).toBe(403);
    expect(byTenant.body.error.message).toBe(
      'Only the platform operator (the bootstrap admin key) may change the event-type catalog',
    );
    const badSchema = await api.request('POST', '/v1/event-types', {
      body: { name: 'agent.created', schema: { type: 'nonsense' } },
    });
    expect(badSchema.status).toBe(400);
    expect(badSchema.body.error.message).toContain('schema is not a valid JSON Schema');
    const badName = await api.request('POST', '/v1/event-types', { body: { name: '.bad name' } });
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toContain('name must be 1-128 characters');
    const created = await api.request('POST', '/v1/event-types', {
      body: { name: 'agent.created', description: 'An AI agent was created', schema: agentSchema },
    });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'agent.created', deprecated: false, version: 1, schema: agentSchema },
    });
    expect((await api.request('POST', '/v1/event-types', { body: { name: 'agent.updated' } })).status).toBe(201);
    const again = await api.request('POST', '/v1/event-types', { body: { name: 'agent.created' } });
    expect(again).toMatchObject({
      status: 409,
      body: { error: { message: 'Event type agent.created already exists' } },
    });
    const listed = await api.request('GET', '/v1/event-types', { key: tenantKey });
    expect(declared(listed.body)).toEqual(['agent.created', 'agent.updated']);
  });

  it("lists Herald's operational types with schemas, lets webhooks subscribe to them, and keeps them Herald's", async () => {
    const failing = await api.request('GET', '/v1/event-types/webhook.failing', { key: tenantKey });
    expect(failing).toMatchObject({ status: 200, body: { name: 'webhook.failing', deprecated: false } });
    expect(failing.body.schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['webhookId', 'url']),
    });
    // The catalog has declared entries now; operational types stay subscribable, by name or wildcard.
    const subscribed = await api.request('POST', '/v1/webhooks', {
      key: tenantKey,
      body: hook(['webhook.*', 'delivery.dead_lettered']),
    });
    expect(subscribed.status).toBe(201);
    const declare = await api.request('POST', '/v1/event-types', { body: { name: 'webhook.disabled' } });
    expect(declare.status).toBe(400);
    expect(declare.body.error.message).toContain('name "webhook.disabled" is reserved');
    const deprecate = await api.request('POST', '/v1/event-types/webhook.enabled/deprecate');
    expect(deprecate.status).toBe(400);
    expect(deprecate.body.error.message).toBe("Event type webhook.enabled is Herald's own and cannot be deprecated");
    const published = await publish({ eventType: 'delivery.dead_lettered', tenantId: 'acme', data: {} });
    expect(published.status).toBe(400);
    expect(published.body.error.message).toBe(
      'Invalid event: eventType "delivery.dead_lettered" is reserved: Herald publishes it itself (operational webhooks)',
    );
  });

  it('refuses webhooks subscribing to unknown types or wildcards that match nothing', async () => {
    const unknown = await api.request('POST', '/v1/webhooks', {
      key: tenantKey,
      body: hook(['agent.created', 'billing.paid']),
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toBe(
      'events: unknown event type "billing.paid" (GET /v1/event-types lists them)',
    );
    const wildcard = await api.request('POST', '/v1/webhooks', { key: tenantKey, body: hook(['billing.*']) });
    expect(wildcard.body.error.message).toBe(
      'events: "billing.*" matches no event type in the catalog (GET /v1/event-types lists them)',
    );
    expect((await api.request('POST', '/v1/webhooks', { key: tenantKey, body: hook(['agent.*']) })).status).toBe(201);
    expect((await api.request('POST', '/v1/webhooks', { key: tenantKey, body: hook(['*']) })).status).toBe(201);
  });

  it('validates ingested events against the catalog over HTTP, naming the failing field', async () => {
    const ok = await publish({ eventType: 'agent.created', tenantId: 'acme', data: { agentName: 'Support bot' } });
    expect(ok.status).toBe(202);
    const bad = await publish({ eventType: 'agent.created', tenantId: 'acme', data: { agentName: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      'Invalid event: data does not match the schema of event type "agent.created": data/agentName must be string',
    );
    const unknown = await publish({ eventType: 'billing.paid', tenantId: 'acme', data: {} });
    expect(unknown.body.error.message).toBe('Invalid event: eventType "billing.paid" is not in the event-type catalog');
  });

  it('dead-letters a Kafka-sourced event whose data does not match, with the reason', async () => {
    await produceRaw(`${api.prefix}webhooks.ingest`, [
      { value: { eventType: 'agent.created', tenantId: 'acme', data: {} } },
    ]);
    const dlq = await eventually(
      async () => {
        const messages = await readTopic(`${api.prefix}webhooks.events.dlq`, 1, 3000);
        return messages.length > 0 ? messages : undefined;
      },
      30_000,
      'dead letter',
    );
    expect(JSON.stringify(dlq[0])).toContain("must have required property 'agentName'");
  });

  it('deprecates a type: hidden from the default list, refused for new subscriptions, still ingested', async () => {
    const byTenant = await api.request('POST', '/v1/event-types/agent.updated/deprecate', { key: tenantKey });
    expect(byTenant.status).toBe(403);
    const deprecated = await api.request('POST', '/v1/event-types/agent.updated/deprecate');
    expect(deprecated).toMatchObject({ status: 200, body: { name: 'agent.updated', deprecated: true, version: 2 } });
    expect((await api.request('POST', '/v1/event-types/nope/deprecate')).status).toBe(404);
    const listed = await api.request('GET', '/v1/event-types');
    expect(declared(listed.body)).toEqual(['agent.created']);
    const all = await api.request('GET', '/v1/event-types?includeDeprecated=true');
    expect(declared(all.body)).toEqual(['agent.created', 'agent.updated']);
    const refused = await api.request('POST', '/v1/webhooks', { key: tenantKey, body: hook(['agent.updated']) });
    expect(refused.body.error.message).toBe(
      'events: event type "agent.updated" is deprecated and cannot be subscribed to',
    );
    expect((await publish({ eventType: 'agent.updated', tenantId: 'acme', data: {} })).status).toBe(202);
  });
});
