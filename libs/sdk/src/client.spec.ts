import { createHeraldClient, data } from './client';
import { HeraldApiError, isHeraldApiError } from './errors';
import { idempotencyKey } from './idempotency';
import { collect, paginate } from './pagination';

type Seen = { url: string; method: string; headers: Record<string, string>; body: string };

/** A fetch that answers from a list and records what it was asked. */
function fakeFetch(replies: { status: number; body?: unknown; headers?: Record<string, string> }[]) {
  const seen: Seen[] = [];
  const fetch = async (request: Request) => {
    seen.push({
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    });
    const reply = replies.shift()!;
    return new Response(reply.body === undefined ? null : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json', ...reply.headers },
    });
  };
  return { fetch: fetch as unknown as typeof globalThis.fetch, seen };
}

describe('@herald/sdk client', () => {
  it('sends the key, the tenant, the Idempotency-Key and the typed body, and returns the typed answer', async () => {
    const { fetch, seen } = fakeFetch([{ status: 201, body: { id: 'wh_1', name: 'Orders' } }]);
    const herald = createHeraldClient({ baseUrl: 'http://herald.test', apiKey: 'hk_k', tenantId: 'acme', fetch });
    const key = idempotencyKey();
    const created = await data(
      herald.POST('/v1/webhooks', {
        body: { name: 'Orders', url: 'https://example.com/hook', events: ['order.created'] },
        params: { header: { 'Idempotency-Key': key } },
      }),
    );
    expect(created.id).toBe('wh_1');
    expect(seen[0]).toMatchObject({
      url: 'http://herald.test/v1/webhooks',
      method: 'POST',
      headers: { authorization: 'Bearer hk_k', 'x-tenant-id': 'acme', 'idempotency-key': key },
    });
    expect(JSON.parse(seen[0].body)).toEqual({
      name: 'Orders',
      url: 'https://example.com/hook',
      events: ['order.created'],
    });
    expect(key).toMatch(/^[0-9a-f-]{36}$/);
    expect(idempotencyKey()).not.toBe(key);
  });

  it('rejects a refusal with a typed HeraldApiError carrying status, code, message and Retry-After', async () => {
    const { fetch } = fakeFetch([
      { status: 400, body: { error: { code: 'invalid_request', message: 'name must be at most 50 characters' } } },
      { status: 429, body: { error: { code: 'rate_limited', message: 'Too many' } }, headers: { 'retry-after': '2' } },
    ]);
    const herald = createHeraldClient({ apiKey: 'hk_k', baseUrl: 'http://herald.test', fetch });
    const refused = await herald.GET('/v1/webhooks/{id}', { params: { path: { id: 'wh_x' } } }).catch((e) => e);
    expect(refused).toBeInstanceOf(HeraldApiError);
    expect(refused).toMatchObject({
      status: 400,
      code: 'invalid_request',
      message: 'name must be at most 50 characters',
    });
    const limited = await herald.GET('/v1/webhooks').catch((e) => e);
    expect(isHeraldApiError(limited, 'rate_limited')).toBe(true);
    expect(limited.retryAfterSeconds).toBe(2);
  });

  it('walks cursor pages until nextCursor is null', async () => {
    const { fetch, seen } = fakeFetch([
      { status: 200, body: { data: [{ id: 'a' }, { id: 'b' }], nextCursor: 'c1', limit: 100 } },
      { status: 200, body: { data: [{ id: 'c' }], nextCursor: null, limit: 100 } },
    ]);
    const herald = createHeraldClient({ apiKey: 'hk_k', baseUrl: 'http://herald.test', fetch });
    const all = await collect(
      paginate((cursor) =>
        herald.GET('/v1/webhooks', { params: { query: { limit: 2, ...(cursor ? { cursor } : {}) } } }),
      ),
    );
    expect(all.map((w) => w.id)).toEqual(['a', 'b', 'c']);
    expect(seen.map((s) => new URL(s.url).search)).toEqual(['?limit=2', '?limit=2&cursor=c1']);
  });

  it('authenticates a portal session by its header, never a key', async () => {
    const { fetch, seen } = fakeFetch([{ status: 200, body: { id: 'ps_1' } }]);
    await createHeraldClient({ portalSession: true, baseUrl: 'http://herald.test', fetch }).GET(
      '/v1/portal-sessions/current',
    );
    expect(seen[0].headers['x-herald-portal']).toBe('1');
    expect(seen[0].headers.authorization).toBeUndefined();
  });
});
