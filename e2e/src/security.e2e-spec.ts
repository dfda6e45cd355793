import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Client } from 'pg';
import { PUBLIC_ROUTES, type WebhookSnapshotInput } from '@herald/contracts';
import { generateSecret } from '@herald/signing';
import { collectLeakSurfaces, findLeaks, heraldHome, SERVICE_NAMES, type ServiceName } from '@herald/stack';
import { Receiver, TEST_ADMIN_KEY, eventually, produceRaw, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(180_000);

/** A receiver on 127.0.0.2: the one loopback address this stack allow-lists; every other one is internal. */
class AllowedReceiver {
  readonly paths: string[] = [];
  private server!: Server;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        this.paths.push(req.url ?? '');
        if (req.url === '/redirect') res.writeHead(302, { location: `${this.url}/landing` }).end();
        else res.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.2', r));
    return this;
  }

  get url(): string {
    const address = this.server.address();
    return `http://127.0.0.2:${typeof address === 'object' && address ? address.port : 0}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((r) => this.server.close(() => r(undefined)));
  }
}

interface Call {
  method: string;
  path: string;
  body?: unknown;
}

/** Every admin route, with `:name` placeholders filled from the victim tenant's resources. */
const ROUTES: (Call & { collectionCreate?: boolean })[] = [
  { method: 'GET', path: '/v1/webhooks' },
  {
    method: 'POST',
    path: '/v1/webhooks',
    body: { url: 'http://127.0.0.2:9/x', events: ['*'] },
    collectionCreate: true,
  },
  { method: 'GET', path: '/v1/webhooks/:wh' },
  { method: 'PATCH', path: '/v1/webhooks/:wh', body: { name: 'taken over' } },
  { method: 'DELETE', path: '/v1/webhooks/:wh' },
  { method: 'POST', path: '/v1/webhooks/:wh/activate' },
  { method: 'POST', path: '/v1/webhooks/:wh/deactivate' },
  { method: 'GET', path: '/v1/webhooks/:wh/secret' },
  { method: 'POST', path: '/v1/webhooks/:wh/rotate-secret' },
  { method: 'POST', path: '/v1/webhooks/:wh/rotate-key' },
  { method: 'POST', path: '/v1/webhooks/:wh/test' },
  { method: 'GET', path: '/v1/api-keys' },
  { method: 'POST', path: '/v1/api-keys', body: { name: 'intruder', scopes: ['admin'] }, collectionCreate: true },
  { method: 'DELETE', path: '/v1/api-keys/:key' },
  { method: 'GET', path: '/v1/event-types' },
  { method: 'POST', path: '/v1/event-types', body: { name: 'intruder.created' }, collectionCreate: true },
  { method: 'POST', path: '/v1/events', body: { eventType: 'victim.created', tenantId: 'tenant-a', data: {} } },
  { method: 'GET', path: '/v1/attempts' },
  { method: 'GET', path: '/v1/attempts/:att' },
  { method: 'GET', path: '/v1/messages' },
  { method: 'GET', path: '/v1/messages/:evt' },
  { method: 'POST', path: '/v1/messages/:evt/redeliver' },
  { method: 'GET', path: '/v1/audit-log' },
  { method: 'GET', path: '/v1/recoveries' },
  { method: 'POST', path: '/v1/recoveries', body: { webhookId: ':wh', since: '2020-01-01T00:00:00Z' } },
  { method: 'POST', path: '/v1/portal-sessions', body: { scope: 'full' }, collectionCreate: true },
  { method: 'DELETE', path: '/v1/portal-sessions/:ps' },
];

/** What a full portal session of the victim's tenant, limited to another webhook or to other event types, gets. */
function subsetExpects(
  listed: Call & { collectionCreate?: boolean },
  route: Call,
  subset: 'webhooks' | 'event types',
  targetsVictim: boolean,
): number[] {
  if (route.path === '/v1/events') return [401]; // event-ingest knows no sessions
  const owned = /^\/v1\/(api-keys|portal-sessions)/.test(route.path) || route.path === '/v1/event-types';
  if (owned && (route.method !== 'GET' || route.path === '/v1/api-keys')) return [403]; // never a session's
  if (listed.collectionCreate) return [403]; // limited to another webhook, or subscribing to '*' beyond its types
  // The audit log does not say which event types a change touched: refused to a type-limited session.
  if (subset === 'event types' && route.path === '/v1/audit-log') return [403];
  return targetsVictim ? [404] : [200];
}

const VICTIM_MARKER = `victim-${randomBytes(6).toString('hex')}`;
const HEADER_SECRET = `hdr-secret-${randomBytes(12).toString('hex')}`;
const STATIC_SECRET = `static-secret-${randomBytes(12).toString('hex')}`;
/** The victim's other content, each unique, so the log scan below can look for it. */
const CONTENT = {
  urlPathToken: `path-${randomBytes(8).toString('hex')}`,
  urlQueryToken: `query-${randomBytes(8).toString('hex')}`,
  metadataValue: `meta-${randomBytes(8).toString('hex')}`,
  technicalContact: `contact-${randomBytes(8).toString('hex')}`,
  failureEmail: `ops-${randomBytes(8).toString('hex')}@victim.example`,
  payloadMarker: `payload-${randomBytes(8).toString('hex')}`,
  // Short: a JSON parser's error message echoes about ten characters around the bad token.
  corruptRecordMarker: `VX${randomBytes(3).toString('hex')}`,
};

/**
 * The security suite: every admin route against every kind of wrong credential, SSRF refusal at
 * creation and at send time, no redirects followed, and no secret in logs, attempt records,
 * error bodies or metrics.
 */
describe('security', () => {
  let stack: TestStack;
  const allowed = new AllowedReceiver();
  const internal = new Receiver(); // on 127.0.0.1: must never be reached
  const keys = { adminA: '', readA: '', revokedA: '', adminB: '', readAId: '' };
  /** Portal session cookies (the matrix's session column) and the one-time links they came from. */
  const sessions = {
    readOnlyA: '',
    fullB: '',
    revokedA: '',
    victimId: '',
    links: [] as string[],
    /** Full sessions of the victim's own tenant limited to another webhook, or to other event types. */
    webhookSubsetA: '',
    typeSubsetA: '',
  };
  const victim = { webhookId: '', secret: '', eventId: '', attemptId: '' };
  /** Another webhook of the victim's tenant: the one the webhook-subset session is limited to. */
  let siblingWebhookId = '';
  const errorBodies: string[] = [];

  const owner = (path: string): ServiceName =>
    (PUBLIC_ROUTES.find((r) => path.startsWith(r.prefix))?.service as ServiceName | undefined) ?? 'subscription-api';

  /** One request straight to the owning service (new routes may not be in the gateway's table yet). */
  const call = async (
    { method, path, body }: Call,
    auth: { token?: string; session?: string; tenant?: string; contentType?: string; rawBody?: string } = {},
  ): Promise<{ status: number; text: string; json: any; headers: Headers }> => {
    const headers: Record<string, string> = {};
    if (auth.token !== undefined) headers.authorization = `Bearer ${auth.token}`;
    if (auth.session !== undefined) {
      headers.cookie = `herald_session=${auth.session}`;
      headers['x-herald-portal'] = '1';
    }
    if (auth.tenant) headers['x-tenant-id'] = auth.tenant;
    const payload = auth.rawBody ?? (body === undefined ? undefined : JSON.stringify(body));
    if (payload !== undefined) headers['content-type'] = auth.contentType ?? 'application/json';
    const response = await fetch(`${stack.services[owner(path)].url}${path}`, { method, headers, body: payload });
    const text = await response.text();
    if (response.status >= 400) errorBodies.push(text);
    let json: any = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: response.status, text, json, headers: response.headers };
  };
  /** The victim's name, URL and secrets that a response shows. */
  const victimLeaks = (text: string) =>
    [VICTIM_MARKER, 'Victim hook', `${allowed.url}/victim`, victim.secret, HEADER_SECRET, STATIC_SECRET].filter(
      (leak) => text.includes(leak),
    );
  const asBootstrap = (c: Call, tenant: string) => call(c, { token: TEST_ADMIN_KEY, tenant });

  const fill = (c: Call): Call => {
    const sub = (s: string) =>
      s
        .replace(':wh', victim.webhookId)
        .replace(':key', keys.readAId)
        .replace(':att', victim.attemptId)
        .replace(':evt', victim.eventId)
        .replace(':ps', sessions.victimId);
    return {
      method: c.method,
      path: sub(c.path),
      body: c.body && typeof c.body === 'object' ? JSON.parse(sub(JSON.stringify(c.body))) : c.body,
    };
  };

  beforeAll(async () => {
    await Promise.all([allowed.start(), internal.start()]);
    stack = await startTestStack({
      env: {
        'subscription-api': { WEBHOOK_URL_ALLOWED_CIDRS: '127.0.0.2/32' },
        deliverer: { DELIVERY_ALLOWED_CIDRS: '127.0.0.2/32' },
        // A low limit, so the flood below trips it however slowly this machine sends.
        'audit-log': { API_RATE_LIMIT_PER_SECOND: '1', API_RATE_LIMIT_BURST: '20' },
      },
    });
    const key = async (tenantId: string, scopes: string[]) => {
      const created = await asBootstrap(
        { method: 'POST', path: '/v1/api-keys', body: { name: `k ${tenantId}`, scopes, tenantId } },
        tenantId,
      );
      expect(created.status).toBe(201);
      return created.json as { id: string; key: string };
    };
    keys.adminA = (await key('tenant-a', ['admin'])).key;
    const read = await key('tenant-a', ['read']);
    keys.readA = read.key;
    keys.readAId = read.id;
    const revoked = await key('tenant-a', ['admin']);
    keys.revokedA = revoked.key;
    expect((await asBootstrap({ method: 'DELETE', path: `/v1/api-keys/${revoked.id}` }, 'tenant-a')).status).toBe(204);
    keys.adminB = (await key('tenant-b', ['admin'])).key;
    const session = async (tenant: string, scope: string, subset: Record<string, string[]> = {}) => {
      const body = { scope, ...subset };
      const created = await asBootstrap({ method: 'POST', path: '/v1/portal-sessions', body }, tenant);
      expect(created.status).toBe(201);
      sessions.links.push(created.json.url);
      const opened = await fetch(created.json.url, { redirect: 'manual' });
      expect(opened.status).toBe(303);
      const cookie = /herald_session=([^;]+)/.exec(opened.headers.get('set-cookie') ?? '')![1];
      return { id: created.json.id as string, cookie };
    };
    const readOnlyA = await session('tenant-a', 'read-only');
    sessions.readOnlyA = readOnlyA.cookie;
    sessions.victimId = readOnlyA.id;
    sessions.fullB = (await session('tenant-b', 'full')).cookie;
    const revokedSession = await session('tenant-a', 'full');
    sessions.revokedA = revokedSession.cookie;
    const revoke = { method: 'DELETE', path: `/v1/portal-sessions/${revokedSession.id}` };
    expect((await asBootstrap(revoke, 'tenant-a')).status).toBe(204);

    const created = await call(
      {
        method: 'POST',
        path: '/v1/webhooks',
        body: {
          name: 'Victim hook',
          description: VICTIM_MARKER,
          url: `${allowed.url}/victim/${CONTENT.urlPathToken}?t=${CONTENT.urlQueryToken}`,
          events: ['*'],
          headers: { 'X-Custom-Auth': HEADER_SECRET },
          staticKey: STATIC_SECRET,
          metadata: { team: CONTENT.metadataValue },
          technicalContactId: CONTENT.technicalContact,
          failureEmail: CONTENT.failureEmail,
        },
      },
      { token: keys.adminA },
    );
    expect(created.status).toBe(201);
    victim.webhookId = created.json.id;
    victim.secret = created.json.secret;
    const sibling = await call(
      {
        method: 'POST',
        path: '/v1/webhooks',
        body: { name: 'Sibling hook', url: `${allowed.url}/sibling`, events: ['sibling.*'] },
      },
      { token: keys.adminA },
    );
    expect(sibling.status).toBe(201);
    siblingWebhookId = sibling.json.id;
    sessions.webhookSubsetA = (await session('tenant-a', 'full', { webhookIds: [siblingWebhookId] })).cookie;
    sessions.typeSubsetA = (await session('tenant-a', 'full', { eventTypes: ['sibling.*'] })).cookie;
    await asBootstrap({ method: 'POST', path: '/v1/event-types', body: { name: 'victim.created' } }, 'tenant-a');
    const event = await asBootstrap(
      {
        method: 'POST',
        path: '/v1/events',
        body: {
          eventType: 'victim.created',
          tenantId: 'tenant-a',
          data: { marker: VICTIM_MARKER, note: CONTENT.payloadMarker },
        },
      },
      'tenant-a',
    );
    expect(event.status).toBe(202);
    victim.eventId = event.json.eventId;
    victim.attemptId = await eventually(
      async () => {
        const list = await asBootstrap(
          { method: 'GET', path: `/v1/attempts?webhookId=${victim.webhookId}` },
          'tenant-a',
        );
        return (list.json?.data ?? [])[0]?.attemptId as string | undefined;
      },
      60_000,
      'the victim webhook attempt in the audit log',
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([allowed.stop(), internal.stop()]);
  });

  it('refuses every route without a token, with a bad token and with a revoked key (401)', async () => {
    const bogus = `hk_${randomBytes(24).toString('hex')}`;
    const violations: string[] = [];
    for (const route of ROUTES.map(fill)) {
      for (const [label, token] of [
        ['none', undefined],
        ['bad', bogus],
        ['malformed', ''],
        ['revoked', keys.revokedA],
      ] as const) {
        const response = await call(route, { token });
        if (response.status !== 401 || response.json?.error?.code !== 'unauthorized') {
          violations.push(
            `${route.method} ${route.path} with ${label} token: ${response.status} ${response.text.slice(0, 120)}`,
          );
        }
      }
    }
    expect(violations).toEqual([]);
  });

  it('gives a read-scope key reads only (403 on every write)', async () => {
    expect((await call(fill({ method: 'GET', path: '/v1/webhooks/:wh' }), { token: keys.readA })).status).toBe(200);
    const violations: string[] = [];
    for (const route of ROUTES.filter((r) => r.method !== 'GET').map(fill)) {
      const response = await call(route, { token: keys.readA });
      // event-ingest knows tenant keys from webhooks.api-keys: POST /v1/events is 403 like the admin API.
      const expected = owner(route.path) === 'subscription-api' || route.path === '/v1/events' ? [403] : [401, 403];
      if (!expected.includes(response.status)) violations.push(`${route.method} ${route.path}: ${response.status}`);
    }
    expect(violations).toEqual([]);
  });

  it('refuses every route to a revoked portal session, and to a live one without the portal header (401)', async () => {
    const violations: string[] = [];
    for (const route of ROUTES.map(fill)) {
      const revoked = await call(route, { session: sessions.revokedA });
      if (revoked.status !== 401) violations.push(`${route.method} ${route.path} revoked session: ${revoked.status}`);
      const bare = await fetch(`${stack.services[owner(route.path)].url}${route.path}`, {
        method: route.method,
        headers: { cookie: `herald_session=${sessions.readOnlyA}`, 'content-type': 'application/json' },
        body: route.body === undefined ? undefined : JSON.stringify(route.body),
      });
      if (bare.status !== 401) violations.push(`${route.method} ${route.path} without X-Herald-Portal: ${bare.status}`);
    }
    expect(violations).toEqual([]);
    // A used link cannot be opened again.
    for (const link of sessions.links) expect((await fetch(link, { redirect: 'manual' })).status).toBe(401);
  });

  it('gives a read-only portal session reads only (403 on every write, at the API)', async () => {
    expect(
      (await call(fill({ method: 'GET', path: '/v1/webhooks/:wh' }), { session: sessions.readOnlyA })).status,
    ).toBe(200);
    const violations: string[] = [];
    for (const route of ROUTES.filter((r) => r.method !== 'GET').map(fill)) {
      const response = await call(route, { session: sessions.readOnlyA });
      // event-ingest has no database and takes API keys only: a session is unknown there.
      const expected = route.path === '/v1/events' ? [401] : [403];
      if (!expected.includes(response.status)) violations.push(`${route.method} ${route.path}: ${response.status}`);
    }
    expect(violations).toEqual([]);
  });

  it("never lets another tenant's key see or touch the victim's resources", async () => {
    const violations: string[] = [];
    const victimIds = [victim.webhookId, victim.eventId, victim.attemptId, keys.readAId, sessions.victimId];
    const callers = [
      ['key', { token: keys.adminB }],
      ['session', { session: sessions.fullB }],
    ] as const;
    for (const [caller, auth] of callers)
      for (const route of ROUTES.filter((r) => !r.collectionCreate).map(fill)) {
        const response = await call(route, auth);
        const label = `${caller} ${route.method} ${route.path}`;
        const targetsVictim = route.body !== undefined || victimIds.some((id) => route.path.includes(id));
        // Publishing into the victim tenant is refused outright (a tenant key publishes only for its own;
        // event-ingest knows no sessions).
        const expected =
          route.path === '/v1/events'
            ? caller === 'key'
              ? [403]
              : [401]
            : targetsVictim
              ? [401, 403, 404]
              : [200, 401, 403];
        if (!expected.includes(response.status)) violations.push(`${label}: ${response.status}`);
        for (const leak of victimLeaks(response.text)) violations.push(`${label}: response shows ${leak}`);
      }
    expect(violations).toEqual([]);
    // A tenant key or a session naming another tenant is refused outright.
    expect(
      (await call({ method: 'GET', path: '/v1/webhooks' }, { token: keys.adminB, tenant: 'tenant-a' })).status,
    ).toBe(403);
    for (const path of ['/v1/webhooks', '/v1/messages'])
      expect((await call({ method: 'GET', path }, { session: sessions.fullB, tenant: 'tenant-a' })).status).toBe(403);
    // Nothing any refused request tried took effect.
    const after = await call({ method: 'GET', path: `/v1/webhooks/${victim.webhookId}` }, { token: keys.adminA });
    expect(after.status).toBe(200);
    expect(after.json.name).toBe('Victim hook');
    expect(after.json.status).toBe('ACTIVE');
  });

  it('keeps a portal session limited to a subset out of the rest of its own tenant, on every route', async () => {
    const violations: string[] = [];
    const victimIds = [victim.webhookId, victim.eventId, victim.attemptId, keys.readAId, sessions.victimId];
    for (const [subset, cookie] of [
      ['webhooks', sessions.webhookSubsetA],
      ['event types', sessions.typeSubsetA],
    ] as const)
      for (const listed of ROUTES) {
        const route = fill(listed);
        const response = await call(route, { session: cookie });
        const label = `${subset} subset ${route.method} ${route.path}`;
        const targetsVictim = victimIds.some((id) => JSON.stringify(route).includes(id));
        const expected = subsetExpects(listed, route, subset, targetsVictim);
        if (!expected.includes(response.status))
          violations.push(`${label}: ${response.status} ${response.text.slice(0, 120)}`);
        for (const leak of victimLeaks(response.text)) violations.push(`${label}: response shows ${leak}`);
        if (response.status === 200 && [victim.webhookId, victim.eventId].some((id) => response.text.includes(id)))
          violations.push(`${label}: response lists the victim's webhook or event`);
      }
    expect(violations).toEqual([]);
    const after = await call({ method: 'GET', path: `/v1/webhooks/${victim.webhookId}` }, { token: keys.adminA });
    expect(after.json).toMatchObject({ name: 'Victim hook', status: 'ACTIVE' });
  });

  const INTERNAL_URLS = [
    'http://127.0.0.1:{port}/',
    'http://localhost:{port}/',
    'http://[::1]:{port}/',
    'http://[::ffff:127.0.0.1]:{port}/',
    'http://[::ffff:7f00:1]/',
    'http://2130706433/',
    'http://0177.0.0.1/',
    'http://0x7f.0.0.1/',
    'http://0x7f000001/',
    'http://127.1/',
    'http://0.0.0.0/',
    'http://0/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://192.168.0.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[::]/',
    'http://[64:ff9b::7f00:1]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
  ];
  const internalUrls = () => INTERNAL_URLS.map((u) => u.replace('{port}', new URL(internal.url).port));

  it('refuses webhooks to every internal address form at creation and update', async () => {
    const violations: string[] = [];
    for (const url of internalUrls()) {
      const created = await call(
        { method: 'POST', path: '/v1/webhooks', body: { url, events: ['*'] } },
        { token: keys.adminA },
      );
      if (created.status !== 400 || !/url/i.test(created.json?.error?.message ?? ''))
        violations.push(`create ${url}: ${created.status} ${created.text}`);
      const patched = await call(
        { method: 'PATCH', path: `/v1/webhooks/${victim.webhookId}`, body: { url } },
        { token: keys.adminA },
      );
      if (patched.status !== 400) violations.push(`update ${url}: ${patched.status} ${patched.text}`);
    }
    expect(violations).toEqual([]);
    const list = await call({ method: 'GET', path: '/v1/webhooks' }, { token: keys.adminA });
    expect(list.json.data.map((w: { id: string }) => w.id)).toEqual([victim.webhookId, siblingWebhookId]);
  });

  it('refuses internal addresses at send time, after resolving the name', async () => {
    // Webhooks written straight to the subscription topic (as if the address had changed since
    // creation): only the deliverer's own guard stands between them and the internal network.
    const urls = internalUrls();
    const snapshots: WebhookSnapshotInput[] = urls.map((url, i) => ({
      webhookId: `wh_ssrf_${i}`,
      tenantId: 'ssrf-t',
      version: 1,
      status: 'ACTIVE',
      url,
      events: ['*'],
      secrets: [{ secret: generateSecret(), expiresAt: null }],
      updatedAt: new Date().toISOString(),
    }));
    await produceRaw(
      `${stack.prefix}webhooks.subscriptions`,
      snapshots.map((s) => ({ key: s.webhookId, value: s })),
    );
    await asBootstrap({ method: 'POST', path: '/v1/event-types', body: { name: 'ssrf.probe' } }, 'ssrf-t');
    // The matcher may still be loading the snapshots; send until every webhook has an attempt.
    const db = new Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const rows = await eventually(
        async () => {
          await asBootstrap(
            { method: 'POST', path: '/v1/events', body: { eventType: 'ssrf.probe', tenantId: 'ssrf-t' } },
            'ssrf-t',
          );
          const { rows } = await db.query<{ webhook_id: string; outcome: string; error: string | null }>(
            "SELECT DISTINCT ON (webhook_id) webhook_id, outcome, error FROM delivery_attempts WHERE tenant_id = 'ssrf-t' ORDER BY webhook_id, started_at",
          );
          return rows.length === urls.length ? rows : undefined;
        },
        90_000,
        'an attempt for every internal webhook',
      );
      const notBlocked = rows
        .filter((row) => row.outcome !== 'blocked')
        .map((row) => `${urls[Number(row.webhook_id.replace('wh_ssrf_', ''))]}: ${row.outcome} ${row.error}`);
      expect(notBlocked).toEqual([]);
    } finally {
      await db.end();
    }
    expect(internal.requests).toHaveLength(0);
  });

  it('does not follow redirects, even to an allowed address', async () => {
    await asBootstrap({ method: 'POST', path: '/v1/event-types', body: { name: 'redirect.probe' } }, 'tenant-a');
    const created = await call(
      { method: 'POST', path: '/v1/webhooks', body: { url: `${allowed.url}/redirect`, events: ['redirect.probe'] } },
      { token: keys.adminA },
    );
    expect({ status: created.status, body: created.text }).toMatchObject({ status: 201 });
    await asBootstrap(
      { method: 'POST', path: '/v1/events', body: { eventType: 'redirect.probe', tenantId: 'tenant-a' } },
      'tenant-a',
    );
    const attempt = await eventually(
      async () =>
        (await asBootstrap({ method: 'GET', path: `/v1/attempts?webhookId=${created.json.id}` }, 'tenant-a')).json
          ?.data?.[0],
      60_000,
      'the redirect attempt',
    );
    expect(attempt.outcome).not.toBe('success');
    expect(attempt.response?.status ?? attempt.responseStatus).toBe(302);
    expect(allowed.paths).toContain('/redirect');
    expect(allowed.paths).not.toContain('/landing');
  });

  it('limits each tenant API key (429 with Retry-After), not the others', async () => {
    const created = await asBootstrap(
      { method: 'POST', path: '/v1/api-keys', body: { name: 'flood', scopes: ['read'], tenantId: 'tenant-a' } },
      'tenant-a',
    );
    const flood: string = created.json.key;
    const attempts: Call = { method: 'GET', path: '/v1/attempts' };
    const responses = await Promise.all(Array.from({ length: 60 }, () => call(attempts, { token: flood })));
    const limited = responses.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(responses.filter((r) => r.status !== 429).every((r) => r.status === 200)).toBe(true);
    expect(limited[0].json.error).toMatchObject({
      code: 'rate_limited',
      message: expect.stringMatching(/at most 1 per second/),
    });
    const retryAfter = Number(limited[0].headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    // Other keys, and the operator's bootstrap key, are not held back by it.
    expect((await call(attempts, { token: keys.adminA })).status).toBe(200);
    expect((await asBootstrap(attempts, 'tenant-a')).status).toBe(200);
    await new Promise((r) => setTimeout(r, retryAfter * 1000));
    expect((await call(attempts, { token: flood })).status).toBe(200);
  });

  it('keeps secrets out of logs, attempt records, error bodies and metrics', async () => {
    const secrets = {
      adminApiKey: TEST_ADMIN_KEY,
      tenantAdminKey: keys.adminA,
      tenantReadKey: keys.readA,
      revokedKey: keys.revokedA,
      otherTenantKey: keys.adminB,
      readOnlySession: sessions.readOnlyA,
      otherTenantSession: sessions.fullB,
      revokedSession: sessions.revokedA,
      webhookSubsetSession: sessions.webhookSubsetA,
      typeSubsetSession: sessions.typeSubsetA,
      ...Object.fromEntries(sessions.links.map((link, i) => [`portalLink${i}`, link.split('/').pop()!])),
      webhookSecret: victim.secret,
      customHeaderValue: HEADER_SECRET,
      staticKey: STATIC_SECRET,
    };
    const { places, unread } = await collectLeakSurfaces({
      logDir: resolve(heraldHome('test'), 'logs', stack.prefix.slice(0, -1)),
      serviceUrls: Object.fromEntries(SERVICE_NAMES.map((name) => [name, stack.services[name].url])),
      databaseUrl: stack.databaseUrl,
    });
    expect(unread).toEqual([]);
    places['attempt records (API)'] = (
      await asBootstrap({ method: 'GET', path: `/v1/attempts/${victim.attemptId}` }, 'tenant-a')
    ).text;
    places['error bodies'] = errorBodies.join('\n');
    expect(places['attempt records (API)']).toContain(victim.webhookId); // the record is there, just redacted
    expect(places['log subscription-api.log'].length).toBeGreaterThan(0);
    const found = findLeaks(places, secrets);
    expect(found).toEqual([]);
  });

  it("keeps the victim's content out of every service log: ids, never names, URLs, headers, metadata or payloads", async () => {
    // The victim's happy path carried every marker below through the services that log.
    const attempt = await asBootstrap({ method: 'GET', path: `/v1/attempts/${victim.attemptId}` }, 'tenant-a');
    expect(attempt.text).toContain(CONTENT.payloadMarker);
    expect(allowed.paths).toContain(`/victim/${CONTENT.urlPathToken}?t=${CONTENT.urlQueryToken}`);
    // Corrupt records carrying tenant content make the consumers log a problem, the place where
    // a parser's message or an error's fields used to echo what they failed on.
    const corrupt = `{"tenantId":"tenant-a","data":${CONTENT.corruptRecordMarker}}`;
    await produceRaw(`${stack.prefix}webhooks.events`, [{ key: 'tenant-a', value: corrupt }]);
    await produceRaw(`${stack.prefix}webhooks.deliveries`, [{ key: victim.webhookId, value: corrupt }]);
    await produceRaw(`${stack.prefix}webhooks.subscriptions`, [{ key: 'wh_corrupt', value: corrupt }]);

    const logDir = resolve(heraldHome('test'), 'logs', stack.prefix.slice(0, -1));
    const readLogs = () =>
      Object.fromEntries(
        SERVICE_NAMES.map((name) => [
          name,
          readFileSync(resolve(logDir, `${name}.log`), 'utf8')
            .split('\n')
            .filter(Boolean),
        ]),
      ) as Record<ServiceName, string[]>;
    const has = (lines: string[], msg: string) => lines.some((line) => line.includes(msg));
    const logs = await eventually(
      async () => {
        const all = readLogs();
        return has(all.matcher, 'event dead-lettered') &&
          has(all['audit-log'], 'record dead-lettered') &&
          has(all.deliverer, 'delivery task dead-lettered') &&
          has(all.matcher, 'invalid entry skipped')
          ? all
          : undefined;
      },
      30_000,
      'the corrupt records logged by matcher, audit-log and deliverer',
    );
    const markers = {
      name: 'Victim hook',
      description: VICTIM_MARKER,
      urlPathToken: CONTENT.urlPathToken,
      urlQueryToken: CONTENT.urlQueryToken,
      customHeaderValue: HEADER_SECRET,
      metadataValue: CONTENT.metadataValue,
      technicalContact: CONTENT.technicalContact,
      failureEmail: CONTENT.failureEmail,
      payloadMarker: CONTENT.payloadMarker,
      corruptRecordMarker: CONTENT.corruptRecordMarker,
    };
    // The lines about the victim's corrupt delivery name it by id.
    expect(logs.deliverer.find((line) => line.includes('delivery task dead-lettered'))).toContain(victim.webhookId);
    const scanned = Object.fromEntries(SERVICE_NAMES.map((name) => [name, logs[name].length]));
    console.log(`log lines scanned per service: ${JSON.stringify(scanned)}`);
    for (const name of SERVICE_NAMES) expect(logs[name].length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const name of SERVICE_NAMES) {
      for (const line of logs[name]) {
        for (const [what, marker] of Object.entries(markers))
          if (line.includes(marker)) found.push(`${what} in ${name}: ${line.slice(0, 300)}`);
      }
    }
    expect(found).toEqual([]);
  });
});
