import { createPublicKey, verify } from 'node:crypto';
import { Client } from 'pg';
import { Webhook } from 'standardwebhooks';
import { webhookSnapshotSchema } from '@herald/contracts';
import { openSnapshot } from '@herald/secret-box';
import { Receiver } from '@herald/testing';
import { readKeyed, startSubscriptionApi, type SubscriptionApiHarness } from './testing/subscription-api-harness';

jest.setTimeout(30_000);

const LIMIT = 12;

describe('subscription-api webhook routes (real PostgreSQL and Kafka)', () => {
  let api: SubscriptionApiHarness;
  let receiver: Receiver;
  let db: Client;
  /** Each test works in its own tenant, so counts and lists are its own. */
  const as = (tenant: string) => ({ 'x-tenant-id': tenant });
  const create = (tenant: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    api.request('POST', '/v1/webhooks', { body, headers: { ...as(tenant), ...headers } });
  const hook = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    url: `${receiver.url}/hooks`,
    events: ['agent.*'],
    ...extra,
  });

  beforeAll(async () => {
    receiver = await new Receiver().start();
    api = await startSubscriptionApi({ WEBHOOKS_PER_TENANT_LIMIT: String(LIMIT) });
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await api?.close();
    await receiver?.stop();
  });

  it('creates a webhook with the Mindbridge fields and returns the documented shape, secret and public key', async () => {
    const res = await create('mb', {
      name: 'Analysis notifications',
      url: `${receiver.url}/mb`,
      signatureProfiles: ['standard', 'compat', 'asymmetric'],
      technicalContactId: 'user-42',
      events: ['ANALYSIS_COMPLETE', 'ANALYSIS_FAILED'],
      status: 'ACTIVE',
      failureEmail: 'ops@example.com',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      name: 'Analysis notifications',
      technicalContactId: 'user-42',
      events: ['ANALYSIS_COMPLETE', 'ANALYSIS_FAILED'],
      status: 'ACTIVE',
      version: 1,
      failureEmail: 'ops@example.com',
      createdUserInfo: { userId: 'bootstrap', userName: 'bootstrap admin key' },
    });
    expect(res.body.id).toMatch(/^wh_/);
    expect(res.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(res.body.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
    expect(
      createPublicKey({ key: Buffer.from(res.body.publicKey, 'base64'), format: 'der', type: 'spki' })
        .asymmetricKeyType,
    ).toBe('ed25519');
    expect(Date.parse(res.body.keyGenerationTimestamp)).not.toBeNaN();
    expect(res.body).not.toHaveProperty('privateKey');
    const got = await api.request('GET', `/v1/webhooks/${res.body.id}`, { headers: as('mb') });
    expect(got.status).toBe(200);
    expect(got.body).not.toHaveProperty('secret');
  });

  it('creates, lists, pauses and deletes a webhook the Mindset way (url, entities, active)', async () => {
    const res = await create('ms', {
      url: `${receiver.url}/ms`,
      entities: ['agent', 'context', 'contextfile'],
      active: true,
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      entities: ['agent', 'context', 'contextfile'],
      active: true,
      events: ['agent.*', 'context.*', 'contextfile.*'],
    });
    expect(res.body.name).toBe('127.0.0.1');
    const paused = await api.request('PATCH', `/v1/webhooks/${res.body.id}`, {
      body: { active: false },
      headers: as('ms'),
    });
    expect(paused).toMatchObject({ status: 200, body: { active: false, status: 'INACTIVE', version: 2 } });
    const list = await api.request('GET', '/v1/webhooks', { headers: as('ms') });
    expect(list.body.data.map((w: { id: string }) => w.id)).toEqual([res.body.id]);
    expect((await api.request('DELETE', `/v1/webhooks/${res.body.id}`, { headers: as('ms') })).status).toBe(204);
    const gone = await api.request('GET', `/v1/webhooks/${res.body.id}`, { headers: as('ms') });
    expect(gone).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: `Webhook ${res.body.id} not found` } },
    });
  });

  it.each([
    [{ name: 'x'.repeat(51) }, 'name must be at most 50 characters'],
    [{ name: '' }, 'name must not be empty'],
    [{ url: `https://example.com/${'a'.repeat(490)}` }, 'url must be at most 500 characters'],
    [{ url: '' }, 'url must not be empty'],
    [{ url: 'javascript:alert(1)' }, 'url scheme "javascript:" is not allowed'],
    [{ url: 'data:text/plain,hi' }, 'url scheme "data:" is not allowed'],
    [{ url: 'file:///etc/passwd' }, 'url scheme "file:" is not allowed'],
    [{ url: 'not a url' }, 'url must be an http:// or https:// URL with a host name'],
    [{ url: 'http://10.1.2.3/hooks' }, 'url host 10.1.2.3 is a private-network address'],
    [{ url: 'http://169.254.169.254/latest/meta-data' }, '(cloud metadata service)'],
    [{ url: 'http://[fd00::1]/hooks' }, 'unique-local'],
    [{ events: [] }, 'events must list at least one event type (or "*")'],
    [{ events: undefined }, 'events (or entities) is required'],
    [{ failureEmail: 'nope' }, 'failureEmail must be an email address'],
    [{ retrySchedule: [5, 999999] }, 'retrySchedule delays must be at most 172800 seconds (48 h)'],
    [{ staticKey: 'short' }, 'staticKey must be 16-256 printable characters without spaces'],
    [{ surprise: true }, 'surprise'],
  ])('refuses %j with 400 naming the problem', async (patch, message) => {
    const res = await create('invalid', { ...hook('bad'), ...patch });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toContain(message);
  });

  it('refuses the webhook over the per-tenant limit with a message naming the limit, even under concurrent creation', async () => {
    const results = await Promise.all(
      Array.from({ length: LIMIT + 4 }, (_, i) => create('limited', hook(`limit ${i}`))),
    );
    const created = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    expect(created).toHaveLength(LIMIT);
    expect(refused).toHaveLength(4);
    expect(refused[0].body.error).toEqual({
      code: 'webhook_limit_reached',
      message: `This tenant already has ${LIMIT} webhooks; the limit is ${LIMIT}. Delete one before creating another`,
    });
  });

  it('returns the first result for a repeated Idempotency-Key, also when the repeats race, and refuses a changed body', async () => {
    const headers = { 'idempotency-key': 'create-once-1' };
    const first = await create('idem', hook('once'), headers);
    expect(first.status).toBe(201);
    const repeats = await Promise.all(Array.from({ length: 5 }, () => create('idem', hook('once'), headers)));
    expect(repeats.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(repeats.map((r) => r.body.id))).toEqual(new Set([first.body.id]));
    const raced = await Promise.all(
      Array.from({ length: 5 }, () => create('idem', hook('raced'), { 'idempotency-key': 'race-1' })),
    );
    expect(new Set(raced.map((r) => r.body.id)).size).toBe(1);
    const { rows } = await db.query("SELECT count(*)::int AS n FROM webhooks WHERE tenant_id = 'idem'");
    expect(rows[0].n).toBe(2);
    const changed = await create('idem', hook('different'), headers);
    expect(changed.status).toBe(422);
    expect(changed.body.error.message).toBe(
      'Idempotency-Key was already used within 12 h for a different request body',
    );
    // The same key in another tenant is another request.
    expect((await create('idem-other', hook('once'), headers)).body.id).not.toBe(first.body.id);
  });

  it('applies If-Match and body versions: stale → 412 / 409 and nothing changes', async () => {
    const { body: created } = await create('cond', hook('conditional'));
    const path = `/v1/webhooks/${created.id}`;
    const ok = await api.request('PATCH', path, {
      body: { name: 'v2' },
      headers: { ...as('cond'), 'if-match': '"1"' },
    });
    expect(ok).toMatchObject({ status: 200, body: { name: 'v2', version: 2 } });
    const stale = await api.request('PATCH', path, {
      body: { name: 'lost' },
      headers: { ...as('cond'), 'if-match': '"1"' },
    });
    expect(stale.status).toBe(412);
    expect(stale.body.error).toEqual({
      code: 'precondition_failed',
      message: 'Webhook was modified: expected version 1, current version is 2',
    });
    const staleBody = await api.request('PATCH', path, { body: { name: 'lost', version: 1 }, headers: as('cond') });
    expect(staleBody.status).toBe(409);
    expect(staleBody.body.error.code).toBe('version_conflict');
    const badHeader = await api.request('PATCH', path, {
      body: { name: 'lost' },
      headers: { ...as('cond'), 'if-match': 'yesterday' },
    });
    expect(badHeader.status).toBe(400);
    expect(badHeader.body.error.message).toBe('If-Match must be the webhook version, e.g. If-Match: "3"');
    expect((await api.request('DELETE', path, { headers: { ...as('cond'), 'if-match': '1' } })).status).toBe(412);
    expect((await api.request('GET', path, { headers: as('cond') })).body).toMatchObject({ name: 'v2', version: 2 });
  });

  it('lets exactly one of many concurrent conflicting updates win', async () => {
    const { body: created } = await create('race', hook('contested'));
    const path = `/v1/webhooks/${created.id}`;
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api.request('PATCH', path, { body: { name: `writer ${i}` }, headers: { ...as('race'), 'if-match': '1' } }),
      ),
    );
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    expect(results.filter((r) => r.status === 412)).toHaveLength(7);
    const final = await api.request('GET', path, { headers: as('race') });
    expect(final.body).toMatchObject({ name: winners[0].body.name, version: 2 });
  });

  it('lists with search by name, status and event-type filters and a stable cursor', async () => {
    const names = ['Alpha sync', 'Beta sync', 'Gamma export', 'Delta sync', 'Epsilon export'];
    const ids: string[] = [];
    for (const [i, name] of names.entries()) {
      const res = await create(
        'list',
        hook(name, { events: i % 2 ? ['contextfile.created'] : ['agent.*'], active: i !== 1 }),
      );
      ids.push(res.body.id);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { data: { id: string }[]; nextCursor: string | null } } = await api.request(
        'GET',
        `/v1/webhooks?limit=2${cursor ? `&cursor=${cursor}` : ''}`,
        { headers: as('list') },
      );
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.data.map((w) => w.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids);
    const search = await api.request('GET', '/v1/webhooks?name=SYNC', { headers: as('list') });
    expect(search.body.data.map((w: { name: string }) => w.name)).toEqual(['Alpha sync', 'Beta sync', 'Delta sync']);
    const inactive = await api.request('GET', '/v1/webhooks?status=INACTIVE', { headers: as('list') });
    expect(inactive.body.data.map((w: { name: string }) => w.name)).toEqual(['Beta sync']);
    const agents = await api.request('GET', '/v1/webhooks?eventType=agent.updated', { headers: as('list') });
    expect(agents.body.data.map((w: { name: string }) => w.name)).toEqual([
      'Alpha sync',
      'Gamma export',
      'Epsilon export',
    ]);
    const badLimit = await api.request('GET', '/v1/webhooks?limit=1000', { headers: as('list') });
    expect(badLimit.status).toBe(400);
    expect(badLimit.body.error.message).toContain('limit must be 1-100');
  });

  it('activates and deactivates, and the snapshot on webhooks.subscriptions follows', async () => {
    const { body: created } = await create('toggle', hook('toggle'));
    const off = await api.request('POST', `/v1/webhooks/${created.id}/deactivate`, { headers: as('toggle') });
    expect(off).toMatchObject({ status: 200, body: { status: 'INACTIVE', active: false, version: 2 } });
    const on = await api.request('POST', `/v1/webhooks/${created.id}/activate`, { headers: as('toggle') });
    expect(on).toMatchObject({ status: 200, body: { status: 'ACTIVE', active: true, version: 3 } });
    const versions = (await readKeyed(`${api.prefix}webhooks.subscriptions`, created.id, 3))
      .map((value) => webhookSnapshotSchema.parse(JSON.parse(value!)))
      .map((s) => `${s.version}:${s.status}`);
    expect(versions).toEqual(['1:ACTIVE', '2:INACTIVE', '3:ACTIVE']);
  });

  it('reveals the secret and X-KEY to an admin, and carries delivery settings into the snapshot', async () => {
    const { body: created } = await create(
      'reveal',
      hook('reveal', {
        staticKey: 'static-key-0123456789',
        signatureProfiles: ['compat'],
        retrySchedule: [1, 60],
        maxConcurrency: 4,
        rateLimitPerSecond: 10,
      }),
    );
    const secret = await api.request('GET', `/v1/webhooks/${created.id}/secret`, { headers: as('reveal') });
    expect(secret).toMatchObject({
      status: 200,
      body: { secret: created.secret, staticKey: 'static-key-0123456789', previousSecret: null },
    });
    expect(created).toMatchObject({
      staticKeyConfigured: true,
      signatureProfiles: ['compat'],
      retrySchedule: [1, 60],
      maxConcurrency: 4,
    });
    expect(JSON.stringify(created)).not.toContain('static-key-0123456789');
    const [raw] = await readKeyed(`${api.prefix}webhooks.subscriptions`, created.id, 1);
    // On Kafka the secrets are sealed; opened with the service's key-encryption key they are the webhook's.
    expect(raw).not.toContain('static-key-0123456789');
    expect(raw).not.toContain(created.secret);
    const snapshot = openSnapshot(webhookSnapshotSchema.parse(JSON.parse(raw!)));
    expect(snapshot).toMatchObject({
      staticKey: 'static-key-0123456789',
      signatureProfiles: ['compat'],
      retrySchedule: [1, 60],
      maxConcurrency: 4,
      rateLimitPerSecond: 10,
      secrets: [{ secret: created.secret, expiresAt: null }],
    });
    // Without `asymmetric` there is no key pair to show or to sign v1a with.
    expect(created.publicKey).toBeNull();
    expect(snapshot.signingKey).toBeNull();
  });

  it('signs v1a only for a webhook that asks (asymmetric): opting in and out changes key, snapshot and signatures', async () => {
    const snapshots = async (id: string, count: number) =>
      (await readKeyed(`${api.prefix}webhooks.subscriptions`, id, count)).map((value) =>
        openSnapshot(webhookSnapshotSchema.parse(JSON.parse(value!))),
      );
    const sendAndGet = async (id: string) => {
      const sent = await api.request('POST', `/v1/webhooks/${id}/test`, { body: {}, headers: as('v1a') });
      expect(sent.body.outcome).toBe('success');
      return receiver.requests.find((r) => r.headers['webhook-id'] === sent.body.eventId)!;
    };
    const { body: created } = await create('v1a', hook('plain'));
    expect(created).toMatchObject({
      signatureProfiles: ['standard', 'compat'],
      publicKey: null,
      keyGenerationTimestamp: null,
    });
    expect(String((await sendAndGet(created.id)).headers['webhook-signature'])).toMatch(/^v1,\S+$/);
    const noKey = await api.request('POST', `/v1/webhooks/${created.id}/rotate-key`, { headers: as('v1a') });
    expect(noKey).toMatchObject({ status: 409 });
    expect(JSON.stringify(noKey.body)).toContain('add asymmetric to its signatureProfiles');

    const optedIn = await api.request('PATCH', `/v1/webhooks/${created.id}`, {
      body: { signatureProfiles: ['standard', 'compat', 'asymmetric'] },
      headers: as('v1a'),
    });
    expect(optedIn.status).toBe(200);
    const publicKey = optedIn.body.publicKey as string;
    expect(
      createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyType,
    ).toBe('ed25519');
    const request = await sendAndGet(created.id);
    const v1a = String(request.headers['webhook-signature'])
      .split(' ')
      .find((sig) => sig.startsWith('v1a,'))!
      .slice(4);
    const signed = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`;
    const spki = createPublicKey({ key: Buffer.from(publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(signed), spki, Buffer.from(v1a, 'base64'))).toBe(true);

    const optedOut = await api.request('PATCH', `/v1/webhooks/${created.id}`, {
      body: { signatureProfiles: ['standard'] },
      headers: as('v1a'),
    });
    expect(optedOut.body).toMatchObject({ signatureProfiles: ['standard'], publicKey: null });
    expect(String((await sendAndGet(created.id)).headers['webhook-signature'])).toMatch(/^v1,\S+$/);
    // The snapshot keeps its enum: `asymmetric` travels as the signing key, so older deliverers still parse it.
    const [first, second, third] = await snapshots(created.id, 3);
    expect([first.signingKey, third.signingKey]).toEqual([null, null]);
    expect(second).toMatchObject({ signatureProfiles: ['standard', 'compat'], signingKey: { publicKey } });

    const invalid = await create('v1a', hook('bad', { signatureProfiles: ['compat', 'asymmetric'] }));
    expect(invalid.status).toBe(400);
    expect(JSON.stringify(invalid.body)).toContain('signatureProfiles asymmetric needs standard');
  });

  it('sends a test event and returns the outcome: success, then an HTTP error', async () => {
    const { body: created } = await create(
      'test-send',
      hook('tested', { headers: { Authorization: 'Bearer receiver-token' } }),
    );
    const ok = await api.request('POST', `/v1/webhooks/${created.id}/test`, {
      body: { data: { hello: 'world' } },
      headers: as('test-send'),
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      outcome: 'success',
      response: { status: 200, body: 'ok' },
      eventType: 'herald.test',
    });
    expect(ok.body.request.headers.Authorization).toBe('[redacted]');
    const delivered = receiver.requests.find((r) => r.headers['webhook-id'] === ok.body.eventId)!;
    expect(JSON.parse(delivered.body)).toMatchObject({
      event: 'herald.test',
      tenantId: 'test-send',
      data: { hello: 'world' },
    });
    expect(delivered.headers.authorization).toBe('Bearer receiver-token');
    expect(() =>
      new Webhook(created.secret).verify(delivered.body, delivered.headers as Record<string, string>),
    ).not.toThrow();
    receiver.reply = () => ({ status: 503, body: 'down' });
    try {
      const failed = await api.request('POST', `/v1/webhooks/${created.id}/test`, {
        body: {},
        headers: as('test-send'),
      });
      expect(failed.body).toMatchObject({
        outcome: 'http_error',
        response: { status: 503, body: 'down' },
        error: 'HTTP 503',
      });
    } finally {
      receiver.reply = () => ({ status: 200, body: 'ok' });
    }
  });

  it('rotates the secret with an overlap: both secrets verify during it, only the new one after', async () => {
    const { body: created } = await create('rotate', hook('rotating'));
    const asked = Date.now();
    const rotated = await api.request('POST', `/v1/webhooks/${created.id}/rotate-secret`, {
      body: { overlapSeconds: 3 },
      headers: as('rotate'),
    });
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(Date.parse(rotated.body.previousSecretExpiresAt) - asked).toBeGreaterThanOrEqual(3000);
    const revealed = await api.request('GET', `/v1/webhooks/${created.id}/secret`, { headers: as('rotate') });
    expect(revealed.body).toMatchObject({ secret: rotated.body.secret, previousSecret: created.secret });

    const sendAndGet = async () => {
      const sent = await api.request('POST', `/v1/webhooks/${created.id}/test`, { body: {}, headers: as('rotate') });
      expect(sent.body.outcome).toBe('success');
      return receiver.requests.find((r) => r.headers['webhook-id'] === sent.body.eventId)!;
    };
    const during = await sendAndGet();
    const headers = during.headers as Record<string, string>;
    expect(() => new Webhook(created.secret).verify(during.body, headers)).not.toThrow();
    expect(() => new Webhook(rotated.body.secret).verify(during.body, headers)).not.toThrow();

    await new Promise((r) => setTimeout(r, 3500));
    const after = await sendAndGet();
    const afterHeaders = after.headers as Record<string, string>;
    expect(() => new Webhook(rotated.body.secret).verify(after.body, afterHeaders)).not.toThrow();
    expect(() => new Webhook(created.secret).verify(after.body, afterHeaders)).toThrow();
  });

  it('rotates the ed25519 key pair: the new public key verifies v1a signatures, the old one does not', async () => {
    const { body: created } = await create('keys', hook('keyed', { signatureProfiles: ['standard', 'asymmetric'] }));
    const rotated = await api.request('POST', `/v1/webhooks/${created.id}/rotate-key`, { headers: as('keys') });
    expect(rotated.status).toBe(200);
    expect(rotated.body.publicKey).not.toBe(created.publicKey);
    expect(Date.parse(rotated.body.keyGenerationTimestamp)).toBeGreaterThanOrEqual(
      Date.parse(created.keyGenerationTimestamp),
    );
    const sent = await api.request('POST', `/v1/webhooks/${created.id}/test`, { body: {}, headers: as('keys') });
    const request = receiver.requests.find((r) => r.headers['webhook-id'] === sent.body.eventId)!;
    const signed = `${request.headers['webhook-id']}.${request.headers['webhook-timestamp']}.${request.body}`;
    const v1a = String(request.headers['webhook-signature'])
      .split(' ')
      .find((s) => s.startsWith('v1a,'))!
      .slice(4);
    const check = (spki: string) =>
      verify(
        null,
        Buffer.from(signed),
        createPublicKey({ key: Buffer.from(spki, 'base64'), format: 'der', type: 'spki' }),
        Buffer.from(v1a, 'base64'),
      );
    expect(check(rotated.body.publicKey)).toBe(true);
    expect(check(created.publicKey)).toBe(false);
  });

  it('publishes a tombstone on delete', async () => {
    const { body: created } = await create('tomb', hook('tomb'));
    expect((await api.request('DELETE', `/v1/webhooks/${created.id}`, { headers: as('tomb') })).status).toBe(204);
    const values = await readKeyed(`${api.prefix}webhooks.subscriptions`, created.id, 2);
    expect(values.map((v) => v === null)).toEqual([false, true]);
  });

  it('serves the OpenAPI document and the docs page without a key', async () => {
    const spec = await api.request('GET', '/openapi.json', { key: null });
    expect(spec.status).toBe(200);
    expect(spec.body.openapi).toBe('3.1.0');
    expect(Object.keys(spec.body.paths)).toContain('/v1/webhooks/{id}/rotate-secret');
    const docs = await fetch(`${api.baseUrl}/docs`);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toContain('text/html');
    expect(await docs.text()).toContain('Herald subscription API');
  });
});
