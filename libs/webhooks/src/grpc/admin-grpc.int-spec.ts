import { status } from '@grpc/grpc-js';
import { isOperationalEventType } from '@herald/contracts';
import { freePort } from '@herald/stack';
import { Receiver } from '@herald/testing';
import {
  HARNESS_ADMIN_KEY,
  startSubscriptionApi,
  type SubscriptionApiHarness,
} from '../testing/subscription-api-harness';
import { AdminGrpcClient } from './admin-grpc-client';

jest.setTimeout(30_000);

type Call = (request: object, key?: string | null, tenant?: string) => Promise<any>;

/** The shared client, each RPC as a method that rejects with the gRPC error. */
function adminClient(address: string): Record<string, Call> & { close(): void } {
  const client = new AdminGrpcClient(address);
  return new Proxy({} as Record<string, Call> & { close(): void }, {
    get: (_, method: string) => {
      if (method === 'close') return () => client.close();
      return async (request: object, key: string | null = HARNESS_ADMIN_KEY, tenant?: string) => {
        const outcome = await client.call(method, request, {
          authorization: key === null ? undefined : `Bearer ${key}`,
          tenant,
        });
        if (!outcome.ok) throw outcome.error;
        return outcome.value;
      };
    },
  });
}

describe('admin gRPC service through a real gRPC client (real PostgreSQL and Kafka)', () => {
  let api: SubscriptionApiHarness;
  let grpc: ReturnType<typeof adminClient>;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    const port = await freePort();
    api = await startSubscriptionApi({ GRPC_PORT: String(port) });
    grpc = adminClient(`127.0.0.1:${port}`);
  }, 120_000);

  afterAll(async () => {
    grpc?.close();
    await api?.close();
    await receiver?.stop();
  });

  it('refuses a call without credentials as UNAUTHENTICATED with the REST message', async () => {
    await expect(grpc.ListWebhooks({}, null)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'Missing Authorization header (expected "Bearer <api key>")',
    });
  });

  it('runs the whole webhook lifecycle over gRPC, sharing state with REST', async () => {
    const created = await grpc.CreateWebhook({
      name: 'gRPC hook',
      url: `${receiver.url}/grpc`,
      events: ['agent.*'],
      technicalContactId: 'u1',
      signatureProfiles: ['standard', 'asymmetric'],
    });
    expect(created).toMatchObject({
      name: 'gRPC hook',
      status: 'ACTIVE',
      active: true,
      version: 1,
      events: ['agent.*'],
      technicalContactId: 'u1',
    });
    expect(created.signatureProfiles).toEqual(['standard', 'asymmetric']);
    expect(created.secret).toMatch(/^whsec_/);
    expect(created.publicKey).toBeTruthy();
    expect((await api.request('GET', `/v1/webhooks/${created.id}`)).body.name).toBe('gRPC hook');

    const listed = await grpc.ListWebhooks({ name: 'grpc' });
    expect(listed.data.map((w: { id: string }) => w.id)).toEqual([created.id]);
    const updated = await grpc.UpdateWebhook({
      id: created.id,
      expectedVersion: 1,
      name: 'renamed',
      retrySchedule: [1, 2],
    });
    expect(updated).toMatchObject({ name: 'renamed', version: 2, retrySchedule: [1, 2] });
    await expect(grpc.UpdateWebhook({ id: created.id, expectedVersion: 1, name: 'stale' })).rejects.toMatchObject({
      code: status.FAILED_PRECONDITION,
      details: 'Webhook was modified: expected version 1, current version is 2',
    });
    expect(await grpc.DeactivateWebhook({ id: created.id })).toMatchObject({
      status: 'INACTIVE',
      active: false,
      version: 3,
    });
    expect(await grpc.ActivateWebhook({ id: created.id })).toMatchObject({ status: 'ACTIVE', version: 4 });

    const secret = await grpc.RevealWebhookSecret({ id: created.id });
    expect(secret.secret).toBe(created.secret);
    const rotated = await grpc.RotateWebhookSecret({ id: created.id, overlapSeconds: 60 });
    expect(rotated.secret).not.toBe(created.secret);
    expect(rotated.previousSecretExpiresAt).toBeTruthy();
    const rekeyed = await grpc.RotateWebhookKey({ id: created.id });
    expect(rekeyed.publicKey).not.toBe(created.publicKey);

    const tested = await grpc.SendTestEvent({
      id: created.id,
      eventType: 'agent.created',
      dataJson: '{"agentName":"bot"}',
    });
    expect(tested).toMatchObject({ outcome: 'success', responseStatus: 200, eventType: 'agent.created' });
    expect(JSON.parse(receiver.requests.at(-1)!.body).data).toEqual({ agentName: 'bot' });
    await expect(grpc.SendTestEvent({ id: created.id, dataJson: '[1]' })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: 'data_json must be a JSON object',
    });

    await grpc.DeleteWebhook({ id: created.id });
    await expect(grpc.GetWebhook({ id: created.id })).rejects.toMatchObject({
      code: status.NOT_FOUND,
      details: `Webhook ${created.id} not found`,
    });
  });

  it('validates input with the REST messages', async () => {
    await expect(
      grpc.CreateWebhook({ name: 'x'.repeat(51), url: 'javascript:alert(1)', events: ['*'] }),
    ).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('name must be at most 50 characters'),
    });
    await expect(grpc.CreateWebhook({ url: 'http://10.0.0.1/', events: ['*'] })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('private-network address'),
    });
  });

  it('sets, shows and removes a payload filter, refusing an invalid one with the REST message', async () => {
    await expect(
      grpc.CreateWebhook({ url: `${receiver.url}/f`, events: ['*'], filter: 'event.data.n >' }),
    ).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining('filter is not a valid CEL expression'),
    });
    const created = await grpc.CreateWebhook({ url: `${receiver.url}/f`, events: ['*'], filter: 'event.data.n > 1' });
    expect(created.filter).toBe('event.data.n > 1');
    expect((await api.request('GET', `/v1/webhooks/${created.id}`)).body.filter).toBe('event.data.n > 1');
    const cleared = await grpc.UpdateWebhook({ id: created.id, filter: '' });
    expect(cleared.filter ?? null).toBeNull();
    await grpc.DeleteWebhook({ id: created.id });
  });

  it('takes a per-webhook timeoutMs up to the deployment budget over gRPC and REST, and names the bound beyond it', async () => {
    await expect(
      grpc.CreateWebhook({ url: `${receiver.url}/t`, events: ['*'], timeoutMs: 5001 }),
    ).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
      details: expect.stringContaining("timeoutMs must be at most 5000 (ms), the deployment's delivery timeout"),
    });
    const created = await grpc.CreateWebhook({ url: `${receiver.url}/t`, events: ['*'], timeoutMs: 1500 });
    expect(created.timeoutMs).toBe(1500);
    const tooLong = await api.request('PATCH', `/v1/webhooks/${created.id}`, { body: { timeoutMs: 60_000 } });
    expect(tooLong.status).toBe(400);
    expect(JSON.stringify(tooLong.body)).toContain('timeoutMs must be at most 5000 (ms)');
    const tooShort = await api.request('PATCH', `/v1/webhooks/${created.id}`, { body: { timeoutMs: 50 } });
    expect(tooShort.status).toBe(400);
    expect(JSON.stringify(tooShort.body)).toContain('timeoutMs must be at least 100 (ms)');
    // Refused changes lose nothing: the accepted value stands.
    expect((await api.request('GET', `/v1/webhooks/${created.id}`)).body.timeoutMs).toBe(1500);
    const updated = await grpc.UpdateWebhook({ id: created.id, timeoutMs: 5000 });
    expect(updated.timeoutMs).toBe(5000);
    await grpc.DeleteWebhook({ id: created.id });
  });

  it('enforces scopes and tenant isolation with API keys made over gRPC', async () => {
    const reader = await grpc.CreateApiKey({ name: 'reader', scopes: ['read'], tenantId: 'grpc-a' });
    const writerB = await grpc.CreateApiKey({ name: 'writer', scopes: ['admin'], tenantId: 'grpc-b' });
    expect(reader.key).toMatch(/^hk_/);
    await expect(grpc.CreateWebhook({ url: `${receiver.url}/x`, events: ['*'] }, reader.key)).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
    });
    const ofB = await grpc.CreateWebhook({ url: `${receiver.url}/b`, events: ['*'] }, writerB.key);
    await expect(grpc.GetWebhook({ id: ofB.id }, reader.key)).rejects.toMatchObject({ code: status.NOT_FOUND });
    expect((await grpc.ListWebhooks({}, reader.key)).data ?? []).toEqual([]);
    const keysOfB = await grpc.ListApiKeys({}, writerB.key);
    expect(keysOfB.data.map((k: { name: string }) => k.name)).toEqual(['writer']);
    await grpc.RevokeApiKey({ id: reader.id }, HARNESS_ADMIN_KEY, 'grpc-a');
    await expect(grpc.ListWebhooks({}, reader.key)).rejects.toMatchObject({
      code: status.UNAUTHENTICATED,
      details: 'Invalid API key',
    });
  });

  it('manages the event-type catalog with JSON Schemas as text', async () => {
    const created = await grpc.CreateEventType({
      name: 'invoice.paid',
      schemaJson: '{"type":"object","required":["amount"]}',
    });
    expect(created).toMatchObject({ name: 'invoice.paid', deprecated: false, version: 1 });
    expect(JSON.parse(created.schemaJson)).toEqual({ type: 'object', required: ['amount'] });
    // Herald's operational types are always listed beside the declared ones.
    const names = async (request: object) =>
      ((await grpc.ListEventTypes(request)).data ?? [])
        .map((t: { name: string }) => t.name)
        .filter((name: string) => !isOperationalEventType(name));
    expect(await names({})).toEqual(['invoice.paid']);
    expect(await grpc.DeprecateEventType({ name: 'invoice.paid' })).toMatchObject({ deprecated: true, version: 2 });
    expect(await names({})).toEqual([]);
    expect(await names({ includeDeprecated: true })).toEqual(['invoice.paid']);
    const failing = ((await grpc.ListEventTypes({})).data as { name: string; schemaJson: string }[]).find(
      (t) => t.name === 'webhook.failing',
    );
    expect(JSON.parse(failing!.schemaJson)).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['webhookId']),
    });
  });
});
