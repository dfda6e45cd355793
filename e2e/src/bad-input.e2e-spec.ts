import { eventIdForIdempotencyKey } from '@herald/contracts';
import { Receiver, eventually, produceRaw, readTopic, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(180_000);

const KIB = 1024;

/** `{"a":{"a":…}}` nested `depth` levels, as text (JSON.stringify of such an object would recurse). */
const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const eventText = (eventId: string, dataText: string) =>
  `{"eventId":"${eventId}","eventType":"bad.probe","tenantId":"default","data":${dataText}}`;
const manyKeys = (count: number) => `{${Array.from({ length: count }, (_, i) => `"k${i}":1`).join(',')}}`;

/**
 * Poison input on the ingest topic, on `POST /v1/events` and on the admin API: each bad input
 * gets a clear 4xx or a dead letter naming what is wrong, and good events sent alongside are
 * still delivered.
 */
describe('bad input', () => {
  let stack: TestStack;
  const receiver = new Receiver();
  const delivered = () => new Set(receiver.requests.map((r) => (JSON.parse(r.body) as { eventId: string }).eventId));

  beforeAll(async () => {
    await receiver.start();
    stack = await startTestStack({ env: { deliverer: { DELIVERY_ALLOWED_CIDRS: '127.0.0.0/8' } } });
    const created = await stack.api('/v1/webhooks', {
      method: 'POST',
      body: { url: `${receiver.url}/hooks`, events: ['*'] },
    });
    expect(created.status).toBe(201);
    await stack.api('/v1/event-types', { method: 'POST', body: { name: 'bad.probe' } });
    const typed = await stack.api('/v1/event-types', {
      method: 'POST',
      body: {
        name: 'typed.probe',
        schema: { type: 'object', required: ['amount'], properties: { amount: { type: 'number' } } },
      },
    });
    expect(typed.status).toBe(201);
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver.stop();
  });

  it('dead-letters every bad message on the ingest topic with its reason and delivers the good ones around it', async () => {
    const bad: [string, string | Buffer, RegExp][] = [
      ['not JSON', '{"eventType": "bad.probe", ', /not valid JSON/],
      ['a JSON array', '[1, 2, 3]', /JSON object/],
      ['a JSON string', '"bad.probe"', /JSON object/],
      ['empty', '', /empty/],
      ['wrong types', '{"eventType": 42, "tenantId": ["default"]}', /eventType.*string|tenantId/],
      ['missing tenantId', '{"eventType": "bad.probe"}', /tenantId/],
      [
        'bad data type',
        '{"eventType": "bad.probe", "tenantId": "default", "data": "text"}',
        /data must be a JSON object/,
      ],
      ['bad eventType', '{"eventType": "has spaces!", "tenantId": "default"}', /eventType must be/],
      ['oversize', eventText('evt_oversize', JSON.stringify({ blob: 'x'.repeat(300 * KIB) })), /limit is 262144 bytes/],
      // Near the broker's 1 MB limit, and twice that once escaped into a dead letter.
      [
        'far oversize, escaped',
        eventText('evt_far', JSON.stringify({ blob: '"'.repeat(450 * KIB) })),
        /limit is 262144 bytes.*cut/,
      ],
      ['deep nesting', eventText('evt_deep', nested(5000)), /nest/i],
      ['huge key count', eventText('evt_keys', manyKeys(20_000)), /keys/],
      [
        'invalid UTF-8',
        Buffer.concat([
          Buffer.from(eventText('evt_utf8', '{"name":"')),
          Buffer.from([0xc3, 0x28, 0xff]),
          Buffer.from('"}'),
        ]),
        /UTF-8/,
      ],
      ['NUL character', eventText('evt_nul', '{"name":"a\\u0000b"}'), /NUL character/],
      [
        'unknown event type',
        '{"eventId":"evt_unknown","eventType":"never.declared","tenantId":"default"}',
        /not in the event-type catalog/,
      ],
      [
        'schema violation',
        '{"eventId":"evt_schema","eventType":"typed.probe","tenantId":"default","data":{"amount":"ten"}}',
        /does not match the schema.*amount/,
      ],
    ];
    const topic = `${stack.prefix}webhooks.ingest`;
    const good = (id: string) => ({ key: 'default', value: eventText(id, '{"ok":true}') });
    // One message per request: together they would exceed the broker's request size.
    for (const message of [
      good('evt_good_before'),
      ...bad.map(([, value]) => ({ key: 'default', value: value as string })),
      good('evt_good_after'),
    ]) {
      await produceRaw(topic, [message]);
    }

    await eventually(
      async () => delivered().has('evt_good_before') && delivered().has('evt_good_after'),
      60_000,
      'the good events delivered',
    );
    const letters = (await readTopic(`${stack.prefix}webhooks.events.dlq`, bad.length, 30_000)).map(
      (m) => JSON.parse(m.value ?? '{}') as { reason: string; source: { offset: string } },
    );
    letters.sort((a, b) => Number(a.source.offset) - Number(b.source.offset));
    expect(letters.map((l) => l.reason)).toHaveLength(bad.length);
    const mismatched = bad
      .filter(([, , reason], i) => !reason.test(letters[i]?.reason ?? ''))
      .map(([label], i) => `${label}: ${letters[i]?.reason}`);
    expect(mismatched).toEqual([]);
    for (const id of [
      'evt_oversize',
      'evt_far',
      'evt_deep',
      'evt_keys',
      'evt_utf8',
      'evt_nul',
      'evt_unknown',
      'evt_schema',
    ])
      expect(delivered().has(id)).toBe(false);
  });

  it('answers POST /v1/events with a 4xx naming the problem, and accepts a good event right after', async () => {
    const post = async (body: string | Buffer, contentType = 'application/json') => {
      const response = await fetch(`${stack.gatewayUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer hk_test_0123456789abcdef`, 'content-type': contentType },
        body,
      });
      return {
        status: response.status,
        body: (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null,
      };
    };
    const cases: [string, string | Buffer, number, RegExp, string?][] = [
      ['not JSON', '{"eventType": ', 400, /not valid JSON/],
      ['a JSON array', '[1]', 400, /JSON object/],
      ['text/plain', '{"eventType":"bad.probe","tenantId":"default"}', 400, /JSON object|content type/i, 'text/plain'],
      ['wrong types', '{"eventType": 42, "tenantId": "default"}', 400, /eventType/],
      ['missing eventType', '{"tenantId": "default"}', 400, /eventType/],
      ['oversize', eventText('evt_http_big', JSON.stringify({ blob: 'x'.repeat(300 * KIB) })), 413, /262144 bytes/],
      ['deep nesting', eventText('evt_http_deep', nested(5000)), 400, /nest/i],
      ['huge key count', eventText('evt_http_keys', manyKeys(20_000)), 400, /keys/],
      [
        'invalid UTF-8',
        Buffer.concat([
          Buffer.from(eventText('evt_http_utf8', '{"name":"')),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
        400,
        /UTF-8/,
      ],
      ['NUL character', eventText('evt_http_nul', '{"name":"a\\u0000b"}'), 400, /NUL character/],
      [
        'unknown event type',
        '{"eventType":"never.declared","tenantId":"default"}',
        400,
        /not in the event-type catalog/,
      ],
      [
        'schema violation',
        '{"eventType":"typed.probe","tenantId":"default","data":{"amount":"ten"}}',
        400,
        /does not match the schema.*amount/,
      ],
    ];
    const wrong: string[] = [];
    for (const [label, body, status, message, contentType] of cases) {
      const response = await post(body, contentType);
      if (response.status !== status || !message.test(response.body?.error?.message ?? '')) {
        wrong.push(`${label}: ${response.status} ${JSON.stringify(response.body)}`);
      }
    }
    expect(wrong).toEqual([]);
    const accepted = await post(eventText('evt_http_good', '{"ok":true}'));
    expect(accepted.status).toBe(202);
    await eventually(async () => delivered().has('evt_http_good'), 60_000, 'the good HTTP event delivered');
    for (const id of ['evt_http_big', 'evt_http_deep', 'evt_http_keys', 'evt_http_utf8'])
      expect(delivered().has(id)).toBe(false);
  });

  it('delivers an event whose idempotency key is repeated once per webhook, over the ingest topic and HTTP, and the good events around it', async () => {
    const topic = `${stack.prefix}webhooks.ingest`;
    const keyed = (key: string, amount: number) => ({
      eventType: 'bad.probe',
      tenantId: 'default',
      idempotencyKey: key,
      data: { amount },
    });
    const good = (id: string) => ({ key: 'default', value: eventText(id, '{"ok":true}') });
    const overTopic = eventIdForIdempotencyKey('default', 'e2e-topic-repeat');
    const overHttp = eventIdForIdempotencyKey('default', 'e2e-http-repeat');
    const deliveriesOf = (eventId: string) =>
      receiver.requests
        .map((r) => JSON.parse(r.body) as { eventId: string; data: { amount?: number } })
        .filter((p) => p.eventId === eventId);
    const post = async (body: unknown) => {
      const response = await fetch(`${stack.gatewayUrl}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer hk_test_0123456789abcdef`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        body: (await response.json()) as { eventId?: string; duplicate?: boolean; error?: { code: string } },
      };
    };

    // The first one alone, so that it is the one accepted (repeats in one batch may run concurrently).
    await produceRaw(topic, [good('evt_idem_good_before'), { key: 'default', value: keyed('e2e-topic-repeat', 1) }]);
    await eventually(
      async () => delivered().has('evt_idem_good_before') && delivered().has(overTopic),
      60_000,
      'the first keyed event delivered',
    );
    await produceRaw(topic, [
      { key: 'default', value: keyed('e2e-topic-repeat', 1) },
      { key: 'default', value: keyed('e2e-topic-repeat', 2) },
      good('evt_idem_good_after'),
    ]);

    expect(await post(keyed('e2e-http-repeat', 1))).toMatchObject({ status: 202, body: { eventId: overHttp } });
    expect(await post(keyed('e2e-http-repeat', 1))).toMatchObject({
      status: 200,
      body: { eventId: overHttp, duplicate: true },
    });
    expect(await post(keyed('e2e-http-repeat', 2))).toMatchObject({
      status: 409,
      body: { error: { code: 'idempotency_key_reused' } },
    });
    expect((await post({ eventId: 'evt_idem_http_good', eventType: 'bad.probe', tenantId: 'default' })).status).toBe(
      202,
    );

    await eventually(
      async () =>
        delivered().has('evt_idem_good_after') && delivered().has('evt_idem_http_good') && delivered().has(overHttp),
      60_000,
      'the good events delivered',
    );
    const letters = (await readTopic(`${stack.prefix}webhooks.events.dlq`, Number.MAX_SAFE_INTEGER, 5000)).map(
      (m) => JSON.parse(m.value ?? '{}') as { reason: string; value: string },
    );
    const reused = letters.filter((l) => /idempotencyKey was already used/.test(l.reason));
    expect(reused).toHaveLength(1);
    expect(JSON.parse(reused[0].value)).toMatchObject({ idempotencyKey: 'e2e-topic-repeat', data: { amount: 2 } });
    // A second delivery, had a repeat been published, would have arrived by now.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(deliveriesOf(overTopic).map((p) => p.data.amount)).toEqual([1]);
    expect(deliveriesOf(overHttp).map((p) => p.data.amount)).toEqual([1]);
  });

  it('answers the admin API with a 4xx naming the field and the bound', async () => {
    const raw = async (method: string, path: string, body: string, contentType = 'application/json') => {
      const response = await fetch(`${stack.gatewayUrl}${path}`, {
        method,
        headers: { authorization: `Bearer hk_test_0123456789abcdef`, 'content-type': contentType },
        body,
      });
      return { status: response.status, body: (await response.json().catch(() => null)) as any };
    };
    const url = `${receiver.url}/hooks`;
    const cases: [string, string, string, string, number, RegExp, string?][] = [
      [
        'name too long',
        'POST',
        '/v1/webhooks',
        JSON.stringify({ url, events: ['*'], name: 'n'.repeat(51) }),
        400,
        /name must be at most 50 characters/,
      ],
      ['no events', 'POST', '/v1/webhooks', JSON.stringify({ url, events: [] }), 400, /events/],
      [
        'too many events',
        'POST',
        '/v1/webhooks',
        JSON.stringify({ url, events: Array.from({ length: 101 }, (_, i) => `e.t${i}`) }),
        400,
        /at most 100/,
      ],
      ['url not a URL', 'POST', '/v1/webhooks', JSON.stringify({ url: 'not a url', events: ['*'] }), 400, /url/i],
      [
        'url with credentials or bad scheme',
        'POST',
        '/v1/webhooks',
        JSON.stringify({ url: 'ftp://example.com/x', events: ['*'] }),
        400,
        /url/i,
      ],
      [
        'rate limit out of bounds',
        'POST',
        '/v1/webhooks',
        JSON.stringify({ url, events: ['*'], rateLimitPerSecond: 0 }),
        400,
        /rateLimitPerSecond/,
      ],
      [
        'retry schedule too long',
        'POST',
        '/v1/webhooks',
        JSON.stringify({ url, events: ['*'], retrySchedule: Array(21).fill(1) }),
        400,
        /retrySchedule/,
      ],
      [
        'header value too long',
        'POST',
        '/v1/webhooks',
        JSON.stringify({ url, events: ['*'], headers: { 'X-A': 'v'.repeat(1025) } }),
        400,
        /1024/,
      ],
      ['unknown field', 'POST', '/v1/webhooks', JSON.stringify({ url, events: ['*'], colour: 'red' }), 400, /colour/],
      ['malformed JSON', 'POST', '/v1/webhooks', '{"url": ', 400, /not valid JSON/],
      ['JSON array', 'POST', '/v1/webhooks', '[]', 400, /.+/],
      ['wrong content type', 'POST', '/v1/webhooks', JSON.stringify({ url, events: ['*'] }), 400, /.+/, 'text/plain'],
      [
        'oversized body',
        'POST',
        '/v1/webhooks',
        JSON.stringify({ url, events: ['*'], description: 'd'.repeat(2 * 1024 * KIB) }),
        413,
        /larger than the limit/,
      ],
      ['api key without scopes', 'POST', '/v1/api-keys', JSON.stringify({ name: 'k', scopes: [] }), 400, /scopes/],
      // Found by the fuzz: PostgreSQL cannot store NUL, which used to end in a 500.
      [
        'NUL in an event-type schema',
        'POST',
        '/v1/event-types',
        '{"name":"nul.probe","schema":{"\\u0000":{}}}',
        400,
        /NUL character/,
      ],
      [
        'NUL in a webhook name',
        'POST',
        '/v1/webhooks',
        JSON.stringify({ url, events: ['*'], name: 'a\u0000b' }),
        400,
        /NUL character/,
      ],
      [
        'api key with unknown scope',
        'POST',
        '/v1/api-keys',
        JSON.stringify({ name: 'k', scopes: ['root'] }),
        400,
        /scopes/,
      ],
    ];
    const wrong: string[] = [];
    for (const [label, method, path, body, status, message, contentType] of cases) {
      const response = await raw(method, path, body, contentType);
      if (response.status !== status || !message.test(response.body?.error?.message ?? '')) {
        wrong.push(`${label}: ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
      }
    }
    expect(wrong).toEqual([]);

    // Conflicting versions: an update naming a stale version is refused and changes nothing.
    const created = await stack.api('/v1/webhooks', {
      method: 'POST',
      body: { url, events: ['*'], name: 'versioned' },
    });
    const id: string = created.body.id;
    const first = await stack.api(`/v1/webhooks/${id}`, {
      method: 'PATCH',
      body: { name: 'first', version: created.body.version },
    });
    expect(first.status).toBe(200);
    const stale = await stack.api(`/v1/webhooks/${id}`, {
      method: 'PATCH',
      body: { name: 'stale', version: created.body.version },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('version_conflict');
    expect((await stack.api(`/v1/webhooks/${id}`)).body.name).toBe('first');
  });
});
