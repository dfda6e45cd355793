import { HeraldApiError } from '@herald/sdk';
import { ApiClient, type Fetch, type PortalSessionInfo } from './api-client';

type Call = { url: string; method: string; headers: Headers; body: string };

function fakeFetch(replies: ({ status: number; body: unknown } | 'offline')[]): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: Fetch = async (request) => {
    calls.push({ url: request.url, method: request.method, headers: request.headers, body: await request.text() });
    const reply = replies.shift()!;
    if (reply === 'offline') throw new TypeError('fetch failed');
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return new Response(reply.status === 204 ? null : text, {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  return { fetch, calls };
}

const baseUrl = 'http://127.0.0.1:3000';
const webhook = { id: 'wh_1', url: 'https://example.com/in' };
const page = (ids: string[], nextCursor: string | null) => ({
  status: 200,
  body: { data: ids.map((id) => ({ ...webhook, id })), nextCursor, limit: 10 },
});

describe('portal API client (on @herald/sdk)', () => {
  it('sends the key, the tenant and a typed JSON body, and returns the answer', async () => {
    const { fetch, calls } = fakeFetch([{ status: 201, body: webhook }]);
    const api = new ApiClient({ apiKey: 'hk_abc', tenantId: 'acme' }, { baseUrl, fetch });
    const created = await api.call(api.herald.POST('/v1/webhooks', { body: { url: webhook.url, name: 'x' } }));
    expect(created).toEqual(webhook);
    expect(calls[0]).toMatchObject({ url: expect.stringMatching(/\/v1\/webhooks$/), method: 'POST' });
    expect(JSON.parse(calls[0].body)).toEqual({ url: webhook.url, name: 'x' });
    expect(calls[0].headers.get('authorization')).toBe('Bearer hk_abc');
    expect(calls[0].headers.get('x-tenant-id')).toBe('acme');
    expect(calls[0].headers.get('x-herald-portal')).toBeNull();
  });

  it('authenticates a portal session with its header, never a key', async () => {
    const { fetch, calls } = fakeFetch([{ status: 204, body: null }]);
    const portal = { tenantId: 'acme' } as PortalSessionInfo;
    const api = new ApiClient({ portal }, { baseUrl, fetch });
    await api.call(api.herald.DELETE('/v1/webhooks/{id}', { params: { path: { id: 'wh 1' } } }));
    expect(calls[0].url).toMatch(/\/v1\/webhooks\/wh%201$/);
    expect(calls[0].headers.get('x-herald-portal')).toBe('1');
    expect(calls[0].headers.get('authorization')).toBeNull();
    expect(api.tenantId).toBe('acme');
  });

  it("keeps the API's message, signs out on 401 only, and names an unreachable server", async () => {
    const { fetch } = fakeFetch([
      { status: 400, body: { error: { code: 'invalid_request', message: 'url must be at most 500 characters' } } },
      { status: 401, body: { error: { code: 'unauthorized', message: 'Invalid API key' } } },
      { status: 502, body: 'gateway down' },
      'offline',
    ]);
    let signedOut = 0;
    const api = new ApiClient({ apiKey: 'k' }, { onUnauthorized: () => signedOut++, baseUrl, fetch });
    const get = () => api.call(api.herald.GET('/v1/webhooks/{id}', { params: { path: { id: 'wh_1' } } }));
    await expect(get()).rejects.toEqual(
      new HeraldApiError(400, 'invalid_request', 'url must be at most 500 characters'),
    );
    await expect(get()).rejects.toMatchObject({ status: 401, message: 'Invalid API key' });
    await expect(get()).rejects.toMatchObject({ status: 502, message: 'Request failed with HTTP 502' });
    await expect(get()).rejects.toMatchObject({
      code: 'network',
      message: 'Herald could not be reached. Check your connection and try again.',
    });
    expect(signedOut).toBe(1);
  });

  it("reads every page of the webhooks with the SDK's pagination and keeps the tenant's limit", async () => {
    const { fetch, calls } = fakeFetch([page(['wh_1', 'wh_2'], 'c 1'), page(['wh_3'], null)]);
    const result = await new ApiClient({ apiKey: 'k' }, { baseUrl, fetch }).allWebhooks();
    expect(result.items.map((w) => w.id)).toEqual(['wh_1', 'wh_2', 'wh_3']);
    expect(result.limit).toBe(10);
    expect(calls.map((c) => new URL(c.url).search)).toEqual(['?limit=100', '?limit=100&cursor=c%201']);
  });

  it('stops after maxPages', async () => {
    const { fetch, calls } = fakeFetch([page(['wh_1'], 'a'), page(['wh_2'], 'b')]);
    const result = await new ApiClient({ apiKey: 'k' }, { baseUrl, fetch }).allWebhooks(2);
    expect(result.items.map((w) => w.id)).toEqual(['wh_1', 'wh_2']);
    expect(calls).toHaveLength(2);
  });
});
