import { ApiClient, ApiRequestError, type Fetch } from './api-client';

type Call = { path: string; method: string; headers: Record<string, string>; body?: string };

function fakeFetch(replies: { status: number; body: unknown }[]): { fetch: Fetch; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: Fetch = async (path, init) => {
    calls.push({ path, ...init });
    const reply = replies.shift()!;
    return {
      status: reply.status,
      text: async () => (typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)),
    };
  };
  return { fetch, calls };
}

describe('portal API client', () => {
  it('sends the key, the tenant and JSON, and returns the parsed body', async () => {
    const { fetch, calls } = fakeFetch([{ status: 201, body: { id: 'wh_1' } }]);
    const client = new ApiClient({ apiKey: 'hk_abc', tenantId: 'acme' }, fetch);
    await expect(client.request('POST', '/v1/webhooks', { name: 'x' })).resolves.toEqual({ id: 'wh_1' });
    expect(calls[0]).toMatchObject({
      path: '/v1/webhooks',
      method: 'POST',
      body: '{"name":"x"}',
      headers: { authorization: 'Bearer hk_abc', 'x-tenant-id': 'acme', 'content-type': 'application/json' },
    });
  });

  it("turns the API's error shape into an error naming the problem, and reports 401", async () => {
    const { fetch } = fakeFetch([
      { status: 400, body: { error: { code: 'invalid_request', message: 'url must be at most 500 characters' } } },
      { status: 401, body: { error: { code: 'unauthorized', message: 'Invalid API key' } } },
      { status: 502, body: 'gateway down' },
    ]);
    let signedOut = 0;
    const client = new ApiClient({ apiKey: 'k' }, fetch, () => signedOut++);
    await expect(client.request('GET', '/a')).rejects.toEqual(
      new ApiRequestError(400, 'invalid_request', 'url must be at most 500 characters'),
    );
    await expect(client.request('GET', '/b')).rejects.toMatchObject({ status: 401, message: 'Invalid API key' });
    await expect(client.request('GET', '/c')).rejects.toMatchObject({
      status: 502,
      message: 'Request failed with HTTP 502',
    });
    expect(signedOut).toBe(1);
  });

  it('reads every page of a list and keeps the first page’s other fields', async () => {
    const { fetch, calls } = fakeFetch([
      { status: 200, body: { data: [1, 2], nextCursor: 'c 1', limit: 10 } },
      { status: 200, body: { data: [3], nextCursor: null, limit: 10 } },
    ]);
    const result = await new ApiClient({ apiKey: 'k' }, fetch).listAll<number, { limit: number }>(
      '/v1/webhooks?limit=2',
    );
    expect(result).toEqual({ items: [1, 2, 3], meta: { limit: 10 } });
    expect(calls.map((c) => c.path)).toEqual(['/v1/webhooks?limit=2', '/v1/webhooks?limit=2&cursor=c%201']);
  });
});
