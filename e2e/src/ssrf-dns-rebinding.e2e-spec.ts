import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { HttpSender } from '@herald/webhook-request';
import { assertPublicUrl } from '@herald/ssrf';
import { LoopbackDnsServer, Receiver, eventually, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(180_000);

/** An HTTP server on one loopback address that counts what it receives. */
async function listen(host: string, port = 0): Promise<{ server: Server; port: number; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    res.writeHead(200).end('ok');
  });
  await new Promise<void>((r) => server.listen(port, host, r));
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : 0, hits };
}

/**
 * DNS-based SSRF, with answers from a real DNS server on loopback: a name that resolves inward,
 * a name listing one allowed and one internal address, and a name that changes its answer
 * between the creation-time check and the connection. This part drives the code the services
 * run — the creation-time URL check and the deliverer's sender — in this process, pointed at the
 * test server, where every lookup can be counted; the next part runs the real processes.
 * 127.0.0.2 plays the public receiver (the only allow-listed address); 127.0.0.1 the internal one.
 */
describe('SSRF through DNS', () => {
  const dnsServer = new LoopbackDnsServer();
  let allowed: Awaited<ReturnType<typeof listen>>;
  let internal: Awaited<ReturnType<typeof listen>>;
  const allow = ['127.0.0.2/32'];
  const senders: HttpSender[] = [];
  const sender = () => {
    const s = new HttpSender({
      timeoutMs: 5000,
      maxResponseBytes: 1024,
      userAgent: 'Herald/test',
      allowedCidrs: allow,
      resolve: dnsServer.resolver(),
    });
    senders.push(s);
    return s;
  };

  beforeAll(async () => {
    await dnsServer.start();
    allowed = await listen('127.0.0.2');
    internal = await listen('127.0.0.1', allowed.port); // same port: only the address differs
  });

  afterAll(async () => {
    await Promise.all(senders.map((s) => s.close()));
    for (const { server } of [allowed, internal]) await new Promise((r) => server.close(r));
    await dnsServer.stop();
  });

  it('refuses at creation a name that resolves inward, or to any internal address among others', async () => {
    dnsServer.answer('inward.test', ['127.0.0.1']);
    dnsServer.answer('mixed.test', ['127.0.0.2', '127.0.0.1']);
    dnsServer.answer('fine.test', ['127.0.0.2']);
    const resolve = dnsServer.resolver();
    await expect(assertPublicUrl(`http://inward.test:${allowed.port}/`, { allow, resolve })).rejects.toThrow(
      /inward\.test resolves to 127\.0\.0\.1/,
    );
    await expect(assertPublicUrl(`http://mixed.test:${allowed.port}/`, { allow, resolve })).rejects.toThrow(
      /127\.0\.0\.1/,
    );
    await expect(assertPublicUrl(`http://fine.test:${allowed.port}/`, { allow, resolve })).resolves.toBeInstanceOf(URL);
  });

  it('refuses at send time a name whose answer turned inward after the creation check', async () => {
    dnsServer.answer('rebind.test', ['127.0.0.2'], ['127.0.0.1']);
    await assertPublicUrl(`http://rebind.test:${allowed.port}/`, { allow, resolve: dnsServer.resolver() });
    const result = await sender().post(`http://rebind.test:${allowed.port}/rebind`, {}, '{}');
    expect(result.outcome).toBe('blocked');
    expect(result.error).toMatch(/127\.0\.0\.1/);
    expect(internal.hits).toEqual([]);
  });

  it('connects to exactly the address it checked: no second lookup an answer could change', async () => {
    dnsServer.answer('pinned.test', ['127.0.0.2'], ['127.0.0.1']);
    const before = dnsServer.queries.filter((q) => q === 'pinned.test A').length;
    const result = await sender().post(`http://pinned.test:${allowed.port}/pinned`, {}, '{}');
    expect(result.outcome).toBe('success');
    expect(allowed.hits).toContain('/pinned');
    expect(internal.hits).toEqual([]);
    expect(dnsServer.queries.filter((q) => q === 'pinned.test A').length - before).toBe(1);
  });

  it('checks AAAA answers as well as A answers', async () => {
    dnsServer.answer('dual.test', ['127.0.0.2', '::1']);
    await expect(
      assertPublicUrl(`http://dual.test:${allowed.port}/`, { allow, resolve: dnsServer.resolver() }),
    ).rejects.toThrow(/::1/);
    const result = await sender().post(`http://dual.test:${allowed.port}/dual`, {}, '{}');
    expect(result.outcome).toBe('blocked');
    expect(allowed.hits).not.toContain('/dual');
    expect(dnsServer.queries).toEqual(expect.arrayContaining(['dual.test A', 'dual.test AAAA']));
  });

  it('refuses a mixed answer at send time too', async () => {
    dnsServer.answer('mixed-send.test', ['127.0.0.2', '127.0.0.1']);
    const result = await sender().post(`http://mixed-send.test:${allowed.port}/mixed`, {}, '{}');
    expect(result.outcome).toBe('blocked');
    expect(allowed.hits).not.toContain('/mixed');
    expect(internal.hits).toEqual([]);
  });
});

/**
 * The same through the real processes: subscription-api and the deliverer resolve webhook hosts
 * through the test DNS server (DNS_SERVERS). Subscription-api allow-lists loopback (as every
 * test stack does), so it accepts names that resolve there; the deliverer allow-lists nothing,
 * so its send-time guard must refuse them after its own resolution, before any connection.
 */
describe('SSRF through DNS, in the running services (DNS_SERVERS)', () => {
  const dnsServer = new LoopbackDnsServer();
  const receiver = new Receiver(); // on 127.0.0.1: must never be reached
  let stack: TestStack;
  const unique = () => randomBytes(4).toString('hex');

  beforeAll(async () => {
    await Promise.all([dnsServer.start(), receiver.start()]);
    stack = await startTestStack({
      env: {
        'subscription-api': { DNS_SERVERS: dnsServer.address },
        // Empty: no allow-list, so loopback and private answers are refused at send time.
        deliverer: { DNS_SERVERS: dnsServer.address, DELIVERY_ALLOWED_CIDRS: '' },
      },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await Promise.all([receiver.stop(), dnsServer.stop()]);
  });

  /** Creates a webhook for `host` (every event) and checks subscription-api asked the test server about it. */
  const createWebhook = async (host: string, path: string): Promise<string> => {
    const created = await stack.api('/v1/webhooks', {
      method: 'POST',
      body: { url: `http://${host}:${new URL(receiver.url).port}${path}`, events: ['*'] },
    });
    expect({ status: created.status, body: created.body }).toMatchObject({ status: 201 });
    expect(dnsServer.queries).toContain(`${host} A`);
    return created.body.id;
  };
  const firstAttempt = (webhookId: string) =>
    eventually(
      async () =>
        (await stack.api(`/v1/attempts?webhookId=${webhookId}`)).body?.data?.[0] as
          { outcome: string; error: string | null } | undefined,
      60_000,
      `an attempt for ${webhookId}`,
    );

  it('accepts at creation a name resolving to allow-listed loopback, and the deliverer refuses it at send time', async () => {
    const inward = `inward-${unique()}.test`;
    const rebind = `rebind-${unique()}.test`;
    dnsServer.answer(inward, ['127.0.0.1']);
    // Creation sees allow-listed loopback; the deliverer's own resolution then answers 10.0.0.1.
    dnsServer.answer(rebind, ['127.0.0.1'], ['10.0.0.1']);
    const inwardId = await createWebhook(inward, '/inward');
    const rebindId = await createWebhook(rebind, '/rebind');
    const aQueries = (host: string) => dnsServer.queries.filter((q) => q === `${host} A`).length;
    expect([aQueries(inward), aQueries(rebind)]).toEqual([1, 1]);

    const event = await stack.api('/v1/events', {
      method: 'POST',
      body: { eventType: 'dns.probe', tenantId: 'default', data: {} },
    });
    expect(event.status).toBe(202);
    const [inwardAttempt, rebindAttempt] = await Promise.all([firstAttempt(inwardId), firstAttempt(rebindId)]);

    expect(inwardAttempt).toMatchObject({ outcome: 'blocked', error: expect.stringMatching(/127\.0\.0\.1/) });
    expect(rebindAttempt).toMatchObject({ outcome: 'blocked', error: expect.stringMatching(/10\.0\.0\.1/) });
    // The deliverer resolved each name itself, through the test server (the system resolver knows no .test names).
    expect(aQueries(inward)).toBeGreaterThanOrEqual(2);
    expect(aQueries(rebind)).toBeGreaterThanOrEqual(2);
    expect(receiver.requests).toEqual([]);
  });
});
