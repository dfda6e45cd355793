import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { hashApiKeyToken } from '@herald/contracts';
import { Receiver, TEST_ADMIN_KEY, eventually, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(240_000);

/** How long a revoked key may keep publishing after its revoke answered. */
const REVOCATION_BOUND_MS = 5000;

/**
 * Tenant API keys on `POST /v1/events`, across the real processes: event-ingest has no database
 * and learns keys from `webhooks.api-keys`, which subscription-api writes through its outbox.
 */
describe('tenant API keys on event-ingest', () => {
  let stack: TestStack;
  const receiver = new Receiver();

  /** Straight to event-ingest; `authorization` undefined sends no header. */
  const post = async (authorization: string | undefined, body: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${stack.services['event-ingest'].url}/v1/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(authorization === undefined ? {} : { authorization }),
        ...headers,
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, json: text ? JSON.parse(text) : null };
  };
  const publish = (token: string, body: unknown) => post(`Bearer ${token}`, body);
  const createKey = async (tenantId: string, scopes: string[]) => {
    const created = await stack.api('/v1/api-keys', {
      method: 'POST',
      body: { name: `${tenantId} ${scopes}`, scopes, tenantId },
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; key: string };
  };
  const delivered = (eventId: string) =>
    eventually(
      async () => {
        const request = receiver.requests.find((r) => JSON.parse(r.body).eventId === eventId);
        return request ? (JSON.parse(request.body) as { tenantId: string; event: string; data: unknown }) : undefined;
      },
      60_000,
      `delivery of ${eventId}`,
    );

  beforeAll(async () => {
    await receiver.start();
    stack = await startTestStack();
    const hook = await stack.api('/v1/webhooks', {
      method: 'POST',
      headers: { 'x-tenant-id': 'acme' },
      body: { name: 'acme sink', url: `${receiver.url}/acme`, events: ['*'] },
    });
    expect(hook.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
  });

  it('accepts a key on its first use right after it was created, and the event is delivered', async () => {
    const { key } = await createKey('acme', ['admin']);
    const posted = await publish(key, { eventType: 'order.created', tenantId: 'acme', data: { orderId: 1 } });
    expect(posted.status).toBe(202);
    expect(await delivered(posted.json.eventId)).toMatchObject({
      tenantId: 'acme',
      event: 'order.created',
      data: { orderId: 1 },
    });
  });

  it("fills in the key's tenant when the event names none", async () => {
    const { key } = await createKey('acme', ['admin']);
    const posted = await publish(key, { eventType: 'order.updated', data: { orderId: 2 } });
    expect(posted.status).toBe(202);
    expect(await delivered(posted.json.eventId)).toMatchObject({ tenantId: 'acme', event: 'order.updated' });
  });

  it("refuses a read-scope key (403 naming the scope) and another tenant's tenantId (403, nothing of that tenant)", async () => {
    const read = await createKey('acme', ['read']);
    const refused = await publish(read.key, { eventType: 'order.created', tenantId: 'acme', data: {} });
    expect(refused.status).toBe(403);
    expect(refused.json.error).toEqual({
      code: 'forbidden',
      message: 'This API key lacks the "admin" scope needed for POST /v1/events',
    });

    const globex = await createKey('globex', ['admin']);
    const foreign = await publish(globex.key, { eventType: 'order.created', tenantId: 'acme', data: { forged: true } });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe('forbidden');
    expect(foreign.json.error.message).toMatch(/only for its own tenant/);
    expect(foreign.text).not.toContain('acme sink');
    expect(foreign.text).not.toContain(receiver.url);
    // Naming the tenant in X-Tenant-Id does not help either.
    expect(
      (await post(`Bearer ${globex.key}`, { eventType: 'order.created', data: {} }, { 'x-tenant-id': 'acme' })).status,
    ).toBe(403);
  });

  it('answers 401 for a missing, malformed or unknown key', async () => {
    const body = { eventType: 'order.created', tenantId: 'acme', data: {} };
    const unknown = `hk_${randomBytes(32).toString('base64url')}`;
    for (const authorization of [
      undefined,
      'Basic abc',
      'Bearer',
      `Bearer ${unknown}`,
      'Bearer not-a-herald-key',
      `Bearer ${unknown.slice(0, -1)}`,
    ]) {
      const response = await post(authorization, body);
      expect({ authorization, status: response.status, code: response.json?.error?.code }).toEqual({
        authorization,
        status: 401,
        code: 'unauthorized',
      });
    }
  });

  it(`stops accepting a revoked key within ${REVOCATION_BOUND_MS} ms`, async () => {
    const { id, key } = await createKey('revokee', ['admin']);
    const body = { eventType: 'order.created', data: {} };
    expect((await publish(key, body)).status).toBe(202);
    expect(
      (await stack.api(`/v1/api-keys/${id}`, { method: 'DELETE', headers: { 'x-tenant-id': 'revokee' } })).status,
    ).toBe(204);
    const revokedAt = Date.now();
    await eventually(
      async () => (await publish(key, body)).status === 401,
      REVOCATION_BOUND_MS,
      'the revoked key refused',
    );
    const after = Date.now() - revokedAt;
    expect(after).toBeLessThan(REVOCATION_BOUND_MS);
    expect((await publish(key, body)).json.error).toEqual({ code: 'unauthorized', message: 'Invalid API key' });
  });

  it('serves a key created before keys were published to Kafka, once subscription-api has started (backfill)', async () => {
    const token = `hk_${randomBytes(32).toString('base64url')}`;
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      // As an older release left it: a row in api_keys, no record on webhooks.api-keys.
      await db.query(
        `INSERT INTO api_keys (id, tenant_id, name, scopes, key_hash, key_prefix, created_by)
         VALUES ('key_before_upgrade', 'acme', 'old key', '{admin}', $1, 'hk_old…', '{"userId":"bootstrap","userName":null}')`,
        [hashApiKeyToken(token)],
      );
    } finally {
      await db.end();
    }
    const body = { eventType: 'order.created', tenantId: 'acme', data: { legacy: true } };
    expect((await publish(token, body)).status).toBe(401);
    await stack.services['subscription-api'].stop();
    await stack.services['subscription-api'].start();
    const posted = await eventually(
      async () => {
        const response = await publish(token, body);
        return response.status === 202 ? response : undefined;
      },
      20_000,
      'the pre-upgrade key accepted',
    );
    expect(await delivered(posted.json.eventId)).toMatchObject({ tenantId: 'acme', data: { legacy: true } });
  });

  it('leaves the bootstrap key as it was: any tenant, as the event names it', async () => {
    const posted = await publish(TEST_ADMIN_KEY, {
      eventType: 'order.created',
      tenantId: 'acme',
      data: { by: 'operator' },
    });
    expect(posted.status).toBe(202);
    expect(await delivered(posted.json.eventId)).toMatchObject({ tenantId: 'acme', data: { by: 'operator' } });
  });
});
