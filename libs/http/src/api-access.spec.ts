import { createHash } from 'node:crypto';
import * as crypto from 'node:crypto';
import { ApiAccess, type AccessRequest, type ApiKeyResolver } from './api-access';
import { HeraldError, RateLimitedError } from './herald-error';
import { httpErrorOf } from './http-exception.filter';

// The real timingSafeEqual, observed: every comparison ApiAccess makes is recorded.
jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});
const timingSafeEqual = crypto.timingSafeEqual as jest.MockedFunction<typeof crypto.timingSafeEqual>;

const ADMIN_KEY = 'hk_bootstrap_0123456789abcdef';
const sha256 = (value: string) => createHash('sha256').update(value).digest();

const request = (token: string | undefined, extra: Partial<AccessRequest> = {}): AccessRequest => ({
  authorization: token === undefined ? undefined : `Bearer ${token}`,
  tenant: undefined,
  scope: 'read',
  operation: 'GET /v1/webhooks',
  ...extra,
});

const messageOf = (error: unknown) => httpErrorOf(error).body.error.message;

/** Every string reachable from `root` (own properties, arrays, maps), to look for a retained secret. */
function reachableStrings(root: unknown, seen = new Set<unknown>()): string[] {
  if (typeof root === 'string') return [root];
  if (Buffer.isBuffer(root)) return [root.toString('latin1'), root.toString('utf8')];
  if (typeof root !== 'object' || root === null || seen.has(root)) return [];
  seen.add(root);
  const values = root instanceof Map ? [...root.keys(), ...root.values()] : Object.values(root);
  return values.flatMap((value) => reachableStrings(value, seen));
}

describe('ApiAccess: the bootstrap key is compared in constant time', () => {
  const resolver = { resolve: jest.fn<ReturnType<ApiKeyResolver['resolve']>, [string]>(async () => null) };
  const access = new ApiAccess({ adminApiKey: ADMIN_KEY, defaultTenant: 'default' }, resolver);

  beforeEach(() => {
    timingSafeEqual.mockClear();
    resolver.resolve.mockClear();
  });

  const presented = {
    'the right key': ADMIN_KEY,
    'a wrong key of the same length': `${ADMIN_KEY.slice(0, -1)}X`,
    'a wrong key of another length': 'hk_short',
    'a much longer key': `${ADMIN_KEY}${'x'.repeat(500)}`,
    'a key sharing all but the last character as a prefix': ADMIN_KEY.slice(0, -1),
    'a key with the right key as its prefix': `${ADMIN_KEY}0`,
    'a one-character key': 'h',
  };

  it.each(Object.entries(presented))('compares SHA-256 digests with timingSafeEqual for %s', async (_, token) => {
    const outcome = await access.authorize(request(token)).then(
      (principal) => principal,
      (error: unknown) => error,
    );
    expect(timingSafeEqual).toHaveBeenCalledTimes(1);
    const [presentedDigest, adminDigest] = timingSafeEqual.mock.calls[0] as [Buffer, Buffer];
    // Equal lengths whatever was presented: timingSafeEqual never throws or returns early on length.
    expect(presentedDigest).toHaveLength(32);
    expect(adminDigest).toHaveLength(32);
    expect(Buffer.from(presentedDigest).equals(sha256(token))).toBe(true);
    expect(Buffer.from(adminDigest).equals(sha256(ADMIN_KEY))).toBe(true);
    if (token === ADMIN_KEY) {
      expect(outcome).toMatchObject({ bootstrap: true, tenantId: 'default' });
      expect(resolver.resolve).not.toHaveBeenCalled();
    } else {
      expect(outcome).toBeInstanceOf(HeraldError);
      expect(httpErrorOf(outcome).status).toBe(401);
      // Not the bootstrap key: the tenant key store is asked (it looks tokens up by hash).
      expect(resolver.resolve).toHaveBeenCalledWith(token);
    }
  });

  it('keeps no copy of the raw bootstrap key to compare a token with by ===', () => {
    // The right key is accepted above through timingSafeEqual (called once, for it too), so no
    // shortcut runs before it; and with no raw key reachable from the instance, none can after.
    const strings = reachableStrings(access);
    expect(strings.some((s) => s.includes(ADMIN_KEY))).toBe(false);
    expect(strings.some((s) => s.includes(sha256(ADMIN_KEY).toString('hex')))).toBe(false);
  });

  it('refuses a missing or malformed Authorization before comparing anything', async () => {
    for (const authorization of [undefined, '', 'Basic abc', 'Bearer', `Bearer ${ADMIN_KEY} extra`]) {
      expect(
        httpErrorOf(await access.authorize({ ...request(undefined), authorization }).catch((e: unknown) => e)).status,
      ).toBe(401);
    }
    expect(timingSafeEqual).not.toHaveBeenCalled();
    expect(resolver.resolve).not.toHaveBeenCalled();
  });
});

describe('ApiAccess: authenticate, limit, scope (one path for REST and gRPC)', () => {
  const tenantKeys: Record<string, { tenantId: string; scopes: string[]; keyId: string }> = {
    hk_reader: { tenantId: 'acme', scopes: ['read'], keyId: 'key_reader' },
    hk_admin: { tenantId: 'acme', scopes: ['admin'], keyId: 'key_admin' },
  };
  const resolver: ApiKeyResolver = { resolve: async (token) => tenantKeys[token] ?? null };
  const limited = () =>
    new ApiAccess(
      { adminApiKey: ADMIN_KEY, defaultTenant: 'default', rateLimit: { perSecond: 1, burst: 2 } },
      resolver,
    );

  it('limits each tenant key with one budget whatever the operation, and says when to retry', async () => {
    const access = limited();
    await access.authorize(request('hk_reader', { operation: 'GET /v1/webhooks' }));
    await access.authorize(request('hk_reader', { operation: 'WebhookAdmin.ListWebhooks' }));
    const refusal = await access
      .authorize(request('hk_reader', { operation: 'GET /v1/webhooks' }))
      .catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RateLimitedError);
    expect(refusal).toMatchObject({ code: 'rate_limited', retryAfterSeconds: 1 });
    expect(httpErrorOf(refusal).status).toBe(429);
    expect(messageOf(refusal)).toMatch(/at most 1 per second, bursts of 2\); retry after 1 s$/);
    // Another key has its own budget; the operator's bootstrap key has none.
    await expect(access.authorize(request('hk_admin'))).resolves.toMatchObject({ keyId: 'key_admin' });
    for (let i = 0; i < 10; i++)
      await expect(access.authorize(request(ADMIN_KEY))).resolves.toMatchObject({ bootstrap: true });
  });

  it('counts refused (wrong-scope) calls against the budget, then refuses the scope with 403', async () => {
    const access = limited();
    const write = request('hk_reader', { scope: 'admin', operation: 'WebhookAdmin.DeleteWebhook' });
    const refusal = await access.authorize(write).catch((e: unknown) => e);
    expect(httpErrorOf(refusal).status).toBe(403);
    expect(messageOf(refusal)).toBe('This API key lacks the "admin" scope needed for WebhookAdmin.DeleteWebhook');
    expect(httpErrorOf(await access.authorize(write).catch((e: unknown) => e)).status).toBe(403);
    await expect(access.authorize(write)).rejects.toBeInstanceOf(RateLimitedError);
  });

  it('refuses a tenant key naming another tenant, and the bootstrap key acts for the one it names', async () => {
    const access = limited();
    expect(
      httpErrorOf(await access.authorize(request('hk_admin', { tenant: 'other' })).catch((e: unknown) => e)).status,
    ).toBe(403);
    await expect(access.authorize(request('hk_admin', { tenant: 'acme' }))).resolves.toMatchObject({
      tenantId: 'acme',
    });
    await expect(access.authorize(request(ADMIN_KEY, { tenant: 'other' }))).resolves.toMatchObject({
      tenantId: 'other',
      bootstrap: true,
    });
  });
});

describe('ApiAccess: portal session cookies', () => {
  const live = `hps_${'a'.repeat(43)}`;
  const readOnly = `hps_${'r'.repeat(43)}`;
  const sessions: Record<string, { tenantId: string; scopes: string[]; keyId: string }> = {
    [live]: { tenantId: 'acme', scopes: ['admin'], keyId: 'ps_live' },
    [readOnly]: { tenantId: 'acme', scopes: ['read'], keyId: 'ps_read' },
  };
  const resolveSession = jest.fn(async (token: string) =>
    sessions[token]
      ? { ...sessions[token], session: { id: sessions[token].keyId, webhookIds: null, eventTypes: null } }
      : null,
  );
  const access = new ApiAccess(
    { adminApiKey: ADMIN_KEY, defaultTenant: 'default' },
    { resolve: async () => null, resolveSession },
  );
  const viaCookie = (token: string, extra: Partial<AccessRequest> = {}): AccessRequest =>
    request(undefined, { cookie: `theme=dark; herald_session=${token}`, portalHeader: '1', ...extra });
  const statusOf = async (req: AccessRequest) =>
    httpErrorOf(await access.authorize(req).catch((e: unknown) => e)).status;

  beforeEach(() => resolveSession.mockClear());

  it('authenticates a live session cookie to its tenant and scope', async () => {
    await expect(access.authorize(viaCookie(live))).resolves.toMatchObject({
      tenantId: 'acme',
      keyId: 'ps_live',
      bootstrap: false,
      session: { id: 'ps_live' },
    });
    expect(resolveSession).toHaveBeenCalledWith(live);
  });

  it('refuses a cookie without the portal header (CSRF), an unknown one, and one naming another tenant', async () => {
    expect(await statusOf(viaCookie(live, { portalHeader: undefined }))).toBe(401);
    expect(resolveSession).not.toHaveBeenCalled();
    expect(await statusOf(viaCookie(`hps_${'x'.repeat(43)}`))).toBe(401);
    expect(await statusOf(viaCookie(live, { tenant: 'globex' }))).toBe(403);
    // Not a session token at all: treated as no credentials.
    expect(await statusOf(viaCookie('hk_something'))).toBe(401);
  });

  it('refuses a read-only session every write, and every session the API-key-only routes', async () => {
    const write = viaCookie(readOnly, { scope: 'admin', operation: 'POST /v1/webhooks' });
    const refusal = await access.authorize(write).catch((e: unknown) => e);
    expect(messageOf(refusal)).toBe(
      'This read-only portal session lacks the "admin" scope needed for POST /v1/webhooks',
    );
    expect(await statusOf(viaCookie(live, { allowSession: false, operation: 'GET /v1/api-keys' }))).toBe(403);
  });

  it('lets an Authorization header win over a cookie, and gRPC (no cookie) never sees sessions', async () => {
    await expect(access.authorize(viaCookie(live, { authorization: `Bearer ${ADMIN_KEY}` }))).resolves.toMatchObject({
      bootstrap: true,
    });
    expect(resolveSession).not.toHaveBeenCalled();
    expect(await statusOf(request(undefined))).toBe(401);
  });
});
