import { auditRecordSchema } from '@herald/contracts';
import { readTopic } from '@herald/testing';
import { startSubscriptionApi, type SubscriptionApiHarness } from '../testing/subscription-api-harness';

const webhookBody = (name: string) => ({ name, url: 'http://127.0.0.1:9/hooks', events: ['agent.*'] });

describe('subscription-api authentication, scopes and tenant isolation (real PostgreSQL and Kafka)', () => {
  let api: SubscriptionApiHarness;
  let adminA: string;
  let readA: string;
  let adminB: string;
  let webhookB: string;

  beforeAll(async () => {
    api = await startSubscriptionApi();
    const create = async (tenantId: string, scopes: string[]) => {
      const res = await api.request('POST', '/v1/api-keys', {
        body: { name: `${tenantId} ${scopes.join('+')}`, scopes, tenantId },
      });
      expect(res.status).toBe(201);
      return res.body.key as string;
    };
    adminA = await create('tenant-a', ['admin']);
    readA = await create('tenant-a', ['read']);
    adminB = await create('tenant-b', ['admin']);
    const created = await api.request('POST', '/v1/webhooks', { key: adminB, body: webhookBody('B hook') });
    expect(created.status).toBe(201);
    webhookB = created.body.id;
  }, 120_000);

  afterAll(() => api?.close());

  it('answers 401 for a missing, malformed or unknown bearer token', async () => {
    const missing = await api.request('GET', '/v1/webhooks', { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error.message).toBe('Missing Authorization header (expected "Bearer <api key>")');
    const malformed = await api.request('GET', '/v1/webhooks', { key: null, headers: { authorization: 'Basic abc' } });
    expect(malformed.status).toBe(401);
    expect(malformed.body.error.message).toBe('Authorization header must be "Bearer <api key>"');
    const unknown = await api.request('GET', '/v1/webhooks', { key: `hk_${'x'.repeat(43)}` });
    expect(unknown).toMatchObject({
      status: 401,
      body: { error: { code: 'unauthorized', message: 'Invalid API key' } },
    });
  });

  it('creates a key whose token is shown once and stored only as a hash', async () => {
    const created = await api.request('POST', '/v1/api-keys', { key: adminA, body: { name: 'ci', scopes: ['read'] } });
    expect(created.status).toBe(201);
    expect(created.body.key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(created.body).toMatchObject({ tenantId: 'tenant-a', name: 'ci', scopes: ['read'] });
    const list = await api.request('GET', '/v1/api-keys', { key: adminA });
    expect(list.status).toBe(200);
    const listed = list.body.data.find((k: { id: string }) => k.id === created.body.id);
    expect(listed.keyPrefix).toBe(`${created.body.key.slice(0, 9)}…`);
    expect(JSON.stringify(list.body)).not.toContain(created.body.key);
    expect(list.body.data.every((k: { tenantId: string }) => k.tenantId === 'tenant-a')).toBe(true);
  });

  it('refuses key creation with a clear message for bad input', async () => {
    const bad = await api.request('POST', '/v1/api-keys', { key: adminA, body: { name: '', scopes: ['root'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('name must not be empty');
    expect(bad.body.error.message).toContain('scopes must be among: admin, read');
  });

  it('lets a read key read but answers 403 naming the scope for writes, key management and secrets', async () => {
    expect((await api.request('GET', '/v1/webhooks', { key: readA })).status).toBe(200);
    const write = await api.request('POST', '/v1/webhooks', { key: readA, body: webhookBody('nope') });
    expect(write.status).toBe(403);
    expect(write.body.error.message).toBe('This API key lacks the "admin" scope needed for POST /v1/webhooks');
    expect((await api.request('GET', '/v1/api-keys', { key: readA })).status).toBe(403);
    const own = await api.request('POST', '/v1/webhooks', { key: adminA, body: webhookBody('A hook') });
    const secret = await api.request('GET', `/v1/webhooks/${own.body.id}/secret`, { key: readA });
    expect(secret.status).toBe(403);
    expect(secret.body.error.code).toBe('forbidden');
  });

  it("binds a tenant key to its tenant: another X-Tenant-Id is 403, another tenant's keys cannot be minted", async () => {
    const other = await api.request('GET', '/v1/webhooks', { key: adminA, headers: { 'x-tenant-id': 'tenant-b' } });
    expect(other.status).toBe(403);
    const mint = await api.request('POST', '/v1/api-keys', {
      key: adminA,
      body: { name: 'x', scopes: ['admin'], tenantId: 'tenant-b' },
    });
    expect(mint.status).toBe(403);
    expect(mint.body.error.message).toBe('Only the bootstrap admin key may create API keys for another tenant');
    // The bootstrap key acts for the tenant it names.
    const asB = await api.request('GET', `/v1/webhooks/${webhookB}`, { headers: { 'x-tenant-id': 'tenant-b' } });
    expect(asB.status).toBe(200);
  });

  it.each([
    ['GET', ''],
    ['PATCH', ''],
    ['DELETE', ''],
    ['POST', '/activate'],
    ['POST', '/deactivate'],
    ['GET', '/secret'],
    ['POST', '/rotate-secret'],
    ['POST', '/rotate-key'],
    ['POST', '/test'],
  ])("answers 404 for tenant A's key on tenant B's webhook: %s %s", async (method, suffix) => {
    const res = await api.request(method, `/v1/webhooks/${webhookB}${suffix}`, {
      key: adminA,
      body: method === 'PATCH' ? { name: 'hijacked' } : method === 'POST' ? {} : undefined,
    });
    expect(res.status).toBe(404);
    expect(res.body.error).toEqual({ code: 'not_found', message: `Webhook ${webhookB} not found` });
    const still = await api.request('GET', `/v1/webhooks/${webhookB}`, { key: adminB });
    expect(still.body).toMatchObject({ name: 'B hook', version: 1, status: 'ACTIVE' });
  });

  it("keeps tenant B's webhooks out of tenant A's list and search", async () => {
    const list = await api.request('GET', '/v1/webhooks?name=B%20hook', { key: adminA });
    expect(list.status).toBe(200);
    expect(list.body.data).toEqual([]);
  });

  it("answers 404 for revoking another tenant's key, and a revoked key is refused at once", async () => {
    const keys = await api.request('GET', '/v1/api-keys', { key: adminB });
    const bKeyId = keys.body.data[0].id;
    expect((await api.request('DELETE', `/v1/api-keys/${bKeyId}`, { key: adminA })).status).toBe(404);
    const doomed = await api.request('POST', '/v1/api-keys', {
      key: adminA,
      body: { name: 'doomed', scopes: ['admin'] },
    });
    expect((await api.request('GET', '/v1/webhooks', { key: doomed.body.key })).status).toBe(200);
    expect((await api.request('DELETE', `/v1/api-keys/${doomed.body.id}`, { key: adminA })).status).toBe(204);
    const after = await api.request('GET', '/v1/webhooks', { key: doomed.body.key });
    expect(after).toMatchObject({ status: 401, body: { error: { message: 'Invalid API key' } } });
    const listed = await api.request('GET', '/v1/api-keys?includeRevoked=true', { key: adminA });
    expect(listed.body.data.find((k: { id: string }) => k.id === doomed.body.id).revokedAt).not.toBeNull();
  });

  it('writes an audit record for every change, naming the key, with no token or secret in it', async () => {
    const records = (await readTopic(`${api.prefix}webhooks.audit`, 8, 20_000)).map((m) =>
      auditRecordSchema.parse(JSON.parse(m.value!)),
    );
    const actions = records.map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['api_key.created', 'webhook.created', 'api_key.revoked']));
    const created = records.find((r) => r.action === 'webhook.created' && r.resourceId === webhookB)!;
    expect(created).toMatchObject({ tenantId: 'tenant-b', before: null, after: { name: 'B hook' } });
    expect(created.actor.keyId).toMatch(/^key_/);
    const text = JSON.stringify(records);
    expect(text).not.toMatch(/whsec_/);
    expect(text).not.toMatch(/hk_[A-Za-z0-9_-]{43}/);
    expect(text).not.toMatch(/privateKey|keyHash/);
  });
});
