import { Client } from 'pg';
import { startSubscriptionApi, type SubscriptionApiHarness } from '../testing/subscription-api-harness';

const webhookBody = (name: string) => ({ name, url: 'http://127.0.0.1:9/hooks', events: ['agent.created'] });

/** Opens a one-time link as a browser would, without following the redirect. */
async function open(url: string) {
  const response = await fetch(url, { redirect: 'manual' });
  const setCookie = response.headers.get('set-cookie') ?? '';
  const cookie = /^herald_session=(hps_[A-Za-z0-9_-]{43})/.exec(setCookie)?.[1];
  return { status: response.status, location: response.headers.get('location'), setCookie, cookie, response };
}

/** A request authenticated by the session cookie, with the portal's header unless told otherwise. */
function asSession(api: SubscriptionApiHarness, cookie: string, withHeader = true) {
  return (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    api.request(method, path, {
      key: null,
      body,
      headers: { cookie: `herald_session=${cookie}`, ...(withHeader ? { 'x-herald-portal': '1' } : {}), ...headers },
    });
}

describe('portal sessions (real PostgreSQL and Kafka)', () => {
  let api: SubscriptionApiHarness;
  let db: Client;
  let adminA: string;
  let adminB: string;
  let webhookA: string;
  let webhookB: string;

  const createKey = async (tenantId: string) => {
    const res = await api.request('POST', '/v1/api-keys', {
      body: { name: `${tenantId} admin`, scopes: ['admin'], tenantId },
    });
    expect(res.status).toBe(201);
    return res.body.key as string;
  };
  const createSession = async (body: Record<string, unknown>, key?: string) => {
    const res = await api.request('POST', '/v1/portal-sessions', { key, body });
    expect(res.status).toBe(201);
    return res.body as { id: string; url: string; expiresAt: string };
  };
  const openSession = async (body: Record<string, unknown>, key?: string) => {
    const created = await createSession(body, key);
    const opened = await open(created.url);
    expect(opened.status).toBe(303);
    return { ...created, cookie: opened.cookie! };
  };

  beforeAll(async () => {
    api = await startSubscriptionApi();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
    adminA = await createKey('tenant-a');
    adminB = await createKey('tenant-b');
    webhookA = (await api.request('POST', '/v1/webhooks', { key: adminA, body: webhookBody('A hook') })).body.id;
    webhookB = (await api.request('POST', '/v1/webhooks', { key: adminB, body: webhookBody('B secret hook') })).body.id;
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('creates a one-time link for one tenant, stores only hashes, and opens it into an HttpOnly Lax cookie once', async () => {
    const created = await createSession({
      tenantId: 'tenant-a',
      scope: 'read-only',
      expiresInMinutes: 30,
      branding: { productName: 'Acme Cloud', primaryColor: '#aa3300', theme: 'dark' },
    });
    expect(created).toMatchObject({ tenantId: 'tenant-a', scope: 'read-only', openedAt: null, revokedAt: null });
    expect(created.url).toMatch(new RegExp(`^${api.baseUrl}/admin/session/hpl_[A-Za-z0-9_-]{43}$`));
    const expiresIn = Date.parse(created.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(29 * 60_000);
    expect(expiresIn).toBeLessThanOrEqual(30 * 60_000);

    const first = await open(created.url);
    expect(first.status).toBe(303);
    expect(first.location).toBe('/admin/#session');
    expect(first.setCookie).toMatch(/HttpOnly/);
    expect(first.setCookie).toMatch(/SameSite=Lax/);
    expect(first.setCookie).toMatch(/Path=\//);
    expect(first.setCookie).not.toMatch(/Secure/);
    const token = created.url.split('/').pop()!;
    const stored = JSON.stringify((await db.query('SELECT * FROM portal_sessions WHERE id = $1', [created.id])).rows);
    expect(stored).not.toContain(token);
    expect(stored).not.toContain(first.cookie);

    const replay = await open(created.url);
    expect(replay.status).toBe(401);
    expect(replay.cookie).toBeUndefined();
    expect(await replay.response.json()).toMatchObject({ error: { code: 'unauthorized' } });

    const current = await asSession(api, first.cookie!)('GET', '/v1/portal-sessions/current');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({
      tenantId: 'tenant-a',
      scope: 'read-only',
      branding: { productName: 'Acme Cloud', primaryColor: '#aa3300', theme: 'dark' },
    });
  });

  it('lets exactly one of many concurrent openings of a link win (enforced by PostgreSQL)', async () => {
    const { url } = await createSession({ tenantId: 'tenant-a' });
    const statuses = (await Promise.all(Array.from({ length: 12 }, () => open(url)))).map((o) => o.status);
    expect(statuses.filter((s) => s === 303)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(11);
  });

  it('refuses bad input naming the field and the bound, and another tenant for a tenant key', async () => {
    const bad = await api.request('POST', '/v1/portal-sessions', {
      body: { scope: 'owner', expiresInMinutes: 1, branding: { primaryColor: 'red', logoUrl: 'http://x.test/l.png' } },
    });
    expect(bad.status).toBe(400);
    for (const part of [
      'scope must be full or read-only',
      'expiresInMinutes must be at least 5',
      'branding.primaryColor must be a hex color',
      'branding.logoUrl must be an https:// URL',
    ])
      expect(bad.body.error.message).toContain(part);
    const long = await api.request('POST', '/v1/portal-sessions', { body: { expiresInMinutes: 43_201 } });
    expect(long.body.error.message).toContain('expiresInMinutes must be at most 43200 (30 days)');
    const foreign = await api.request('POST', '/v1/portal-sessions', { key: adminA, body: { tenantId: 'tenant-b' } });
    expect(foreign.status).toBe(403);
    const otherHook = await api.request('POST', '/v1/portal-sessions', {
      key: adminA,
      body: { webhookIds: [webhookB] },
    });
    expect(otherHook.status).toBe(400);
    expect(otherHook.body.error.message).toBe(`webhookIds: no webhook ${webhookB} in tenant tenant-a`);
    expect(JSON.stringify(otherHook.body)).not.toContain('B secret hook');
    const count = await db.query("SELECT count(*)::int AS n FROM portal_sessions WHERE tenant_id = 'tenant-b'");
    expect(count.rows[0].n).toBe(0);
  });

  it('accepts the cookie only with the portal header, and a read-only session changes nothing', async () => {
    const { cookie } = await openSession({ scope: 'read-only' }, adminA);
    expect((await asSession(api, cookie, false)('GET', '/v1/webhooks')).status).toBe(401);
    const session = asSession(api, cookie);
    const list = await session('GET', '/v1/webhooks');
    expect(list.status).toBe(200);
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([webhookA]);
    const writes: [string, string, unknown?][] = [
      ['POST', '/v1/webhooks', webhookBody('nope')],
      ['PATCH', `/v1/webhooks/${webhookA}`, { active: false }],
      ['POST', `/v1/webhooks/${webhookA}/deactivate`],
      ['POST', `/v1/webhooks/${webhookA}/rotate-secret`, {}],
      ['POST', `/v1/webhooks/${webhookA}/test`, {}],
      ['DELETE', `/v1/webhooks/${webhookA}`],
      ['GET', `/v1/webhooks/${webhookA}/secret`],
    ];
    for (const [method, path, body] of writes) {
      const res = await session(method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 403]);
      expect(res.body.error.message).toContain('read-only portal session');
    }
    const after = await api.request('GET', `/v1/webhooks/${webhookA}`, { key: adminA });
    expect(after.body).toMatchObject({ name: 'A hook', active: true, version: 1 });
  });

  it("lets a full session manage its tenant's webhooks but never credentials, sessions or another tenant", async () => {
    const { cookie } = await openSession({ tenantId: 'tenant-a', scope: 'full' });
    const session = asSession(api, cookie);
    const created = await session('POST', '/v1/webhooks', webhookBody('made in the portal'));
    expect(created.status).toBe(201);
    expect(created.body.createdUserInfo.userName).toBe('portal session');
    for (const [method, path, body] of [
      ['GET', '/v1/api-keys'],
      ['POST', '/v1/api-keys', { name: 'x', scopes: ['admin'] }],
      ['POST', '/v1/portal-sessions', {}],
      ['DELETE', '/v1/portal-sessions/ps_x'],
    ] as [string, string, unknown?][]) {
      const res = await session(method, path, body);
      expect([method, path, res.status]).toEqual([method, path, 403]);
    }
    for (const path of [`/v1/webhooks/${webhookB}`, `/v1/webhooks/${webhookB}/secret`]) {
      const res = await session('GET', path);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('B secret hook');
    }
    expect((await session('PATCH', `/v1/webhooks/${webhookB}`, { active: false })).status).toBe(404);
    const named = await session('GET', '/v1/webhooks', undefined, { 'x-tenant-id': 'tenant-b' });
    expect(named.status).toBe(403);
    const victim = await api.request('GET', `/v1/webhooks/${webhookB}`, { key: adminB });
    expect(victim.body).toMatchObject({ name: 'B secret hook', active: true, version: 1 });
  });

  it('refuses a revoked session at once, and lets only its own tenant revoke it', async () => {
    const { id, cookie } = await openSession({}, adminA);
    expect((await asSession(api, cookie)('GET', '/v1/webhooks')).status).toBe(200);
    expect((await api.request('DELETE', `/v1/portal-sessions/${id}`, { key: adminB })).status).toBe(404);
    expect((await api.request('DELETE', `/v1/portal-sessions/${id}`, { key: adminA })).status).toBe(204);
    const after = await asSession(api, cookie)('GET', '/v1/webhooks');
    expect(after.status).toBe(401);
    expect(after.body.error.message).toBe('The portal session has expired or was revoked');
    const unopened = await createSession({}, adminA);
    expect((await api.request('DELETE', `/v1/portal-sessions/${unopened.id}`, { key: adminA })).status).toBe(204);
    expect((await open(unopened.url)).status).toBe(401);
  });

  it('refuses an expired link and an expired session', async () => {
    const link = await createSession({}, adminA);
    await db.query("UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [link.id]);
    expect((await open(link.url)).status).toBe(401);
    const { id, cookie } = await openSession({}, adminA);
    await db.query("UPDATE portal_sessions SET expires_at = now() - interval '1 second' WHERE id = $1", [id]);
    expect((await asSession(api, cookie)('GET', '/v1/webhooks')).status).toBe(401);
  });

  it('enforces a webhook subset on every route: the others are 404 and unchanged, and none can be created', async () => {
    const hook = async (name: string, events: string[]) =>
      (await api.request('POST', '/v1/webhooks', { key: adminA, body: { ...webhookBody(name), events } })).body.id;
    const mine = await hook('subset: mine', ['agent.created']);
    const other = await hook('subset: other', ['agent.created']);
    const { cookie } = await openSession({ scope: 'full', webhookIds: [mine] }, adminA);
    const session = asSession(api, cookie);
    const list = await session('GET', '/v1/webhooks');
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([mine]);
    for (const [method, path, body] of [
      ['GET', ''],
      ['PATCH', '', { name: 'taken over' }],
      ['DELETE', ''],
      ['GET', '/secret'],
      ['POST', '/rotate-secret', {}],
      ['POST', '/rotate-key'],
      ['POST', '/test', {}],
      ['POST', '/activate'],
      ['POST', '/deactivate'],
    ] as [string, string, unknown?][]) {
      const res = await session(method, `/v1/webhooks/${other}${path}`, body);
      expect([method, path, res.status]).toEqual([method, path, 404]);
      expect(JSON.stringify(res.body)).not.toContain('subset: other');
    }
    const untouched = await api.request('GET', `/v1/webhooks/${other}`, { key: adminA });
    expect(untouched.body).toMatchObject({ name: 'subset: other', active: true, version: 1 });
    expect((await session('PATCH', `/v1/webhooks/${mine}`, { name: 'subset: renamed' })).status).toBe(200);
    expect((await session('GET', `/v1/webhooks/${mine}/secret`)).status).toBe(200);
    const create = await session('POST', '/v1/webhooks', webhookBody('subset: new'));
    expect(create.status).toBe(403);
    expect(create.body.error.message).toBe('This portal session is limited to some webhooks and cannot create others');
  });

  it('enforces an event-type subset: webhooks and catalog entries beyond it are hidden, and cannot be subscribed to (403 naming them)', async () => {
    const hook = async (name: string, events: string[]) =>
      (await api.request('POST', '/v1/webhooks', { key: adminA, body: { ...webhookBody(name), events } })).body.id;
    const agent = await hook('types: agent', ['agent.created']);
    const agentAll = await hook('types: agent.*', ['agent.*']);
    const mixed = await hook('types: mixed', ['agent.created', 'order.created']);
    for (const name of ['agent.created', 'order.created'])
      expect((await api.request('POST', '/v1/event-types', { body: { name } })).status).toBe(201);
    const wide = asSession(api, (await openSession({ eventTypes: ['agent.*'] }, adminA)).cookie);
    const listed = (await wide('GET', '/v1/webhooks?limit=100')).body.data as { id: string; events: string[] }[];
    expect(listed.map((w) => w.id)).toEqual(expect.arrayContaining([agent, agentAll]));
    expect(listed.map((w) => w.id)).not.toContain(mixed);
    expect(listed.flatMap((w) => w.events).every((e) => e.startsWith('agent.'))).toBe(true);
    expect((await wide('GET', `/v1/webhooks/${mixed}`)).status).toBe(404);
    expect((await wide('POST', `/v1/webhooks/${mixed}/deactivate`)).status).toBe(404);

    const refused = await wide('POST', '/v1/webhooks', {
      ...webhookBody('types: new'),
      events: ['agent.created', 'order.created'],
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'This portal session is limited to event types agent.*; it cannot use order.created',
    );
    const byEntity = await wide('PATCH', `/v1/webhooks/${agent}`, { entities: ['order'] });
    expect(byEntity.status).toBe(403);
    expect(byEntity.body.error.message).toContain('it cannot use order.*');
    expect((await wide('PATCH', `/v1/webhooks/${agent}`, { events: ['*'] })).body.error.message).toContain(
      'it cannot use *',
    );
    expect((await wide('POST', `/v1/webhooks/${agent}/test`, { eventType: 'order.created' })).status).toBe(403);
    expect(
      (await wide('POST', '/v1/webhooks', { ...webhookBody('types: ok'), events: ['agent.created'] })).status,
    ).toBe(201);
    const kept = await api.request('GET', `/v1/webhooks/${agent}`, { key: adminA });
    expect(kept.body).toMatchObject({ events: ['agent.created'], version: 1 });

    const catalog = (await wide('GET', '/v1/event-types')).body.data.map((t: { name: string }) => t.name);
    expect(catalog).toContain('agent.created');
    expect(catalog).not.toContain('order.created');
    expect((await wide('GET', '/v1/event-types/order.created')).status).toBe(404);
    expect((await wide('GET', '/v1/event-types/agent.created')).status).toBe(200);

    // An exact type does not cover a wildcard subscription to more.
    const narrow = asSession(api, (await openSession({ eventTypes: ['agent.created'] }, adminA)).cookie);
    expect((await narrow('GET', `/v1/webhooks/${agentAll}`)).status).toBe(404);
    expect((await narrow('GET', `/v1/webhooks/${agent}`)).status).toBe(200);
  });
});

describe('portal sessions with embedding enabled (PORTAL_FRAME_ANCESTORS)', () => {
  let api: SubscriptionApiHarness;
  beforeAll(async () => {
    api = await startSubscriptionApi({ PORTAL_FRAME_ANCESTORS: 'https://app.example.com,http://127.0.0.1:4000' });
  }, 120_000);
  afterAll(() => api?.close());

  it('sets the cookie SameSite=None; Secure so it travels inside the embedding page', async () => {
    const created = await api.request('POST', '/v1/portal-sessions', { body: {} });
    const opened = await open(created.body.url);
    expect(opened.status).toBe(303);
    expect(opened.setCookie).toMatch(/SameSite=None/);
    expect(opened.setCookie).toMatch(/Secure/);
    expect(opened.setCookie).toMatch(/HttpOnly/);
  });
});
