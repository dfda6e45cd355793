import { createServer, type Server } from 'node:http';
import { HttpSender } from '@herald/delivery';
import { assertPublicUrl } from '@herald/ssrf';
import { LoopbackDnsServer } from '@herald/testing';

jest.setTimeout(60_000);

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
 * between the creation-time check and the connection. The services resolve through the system
 * resolver (no DNS-server setting), so this drives the same code they run — the creation-time
 * URL check and the deliverer's sender — in this process, pointed at the test server.
 * 127.0.0.2 plays the public receiver (the only allow-listed address); 127.0.0.1 the internal one.
 */
describe('SSRF through DNS', () => {
  const dnsServer = new LoopbackDnsServer();
  let allowed: Awaited<ReturnType<typeof listen>>;
  let internal: Awaited<ReturnType<typeof listen>>;
  const allow = ['127.0.0.2/32'];
  const senders: HttpSender[] = [];
  const sender = () => {
    const s = new HttpSender({ timeoutMs: 5000, maxResponseBytes: 1024, userAgent: 'Herald/test', allowedCidrs: allow, resolve: dnsServer.resolver() });
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
    await expect(assertPublicUrl(`http://inward.test:${allowed.port}/`, { allow, resolve })).rejects.toThrow(/inward\.test resolves to 127\.0\.0\.1/);
    await expect(assertPublicUrl(`http://mixed.test:${allowed.port}/`, { allow, resolve })).rejects.toThrow(/127\.0\.0\.1/);
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

  it('refuses a mixed answer at send time too', async () => {
    dnsServer.answer('mixed-send.test', ['127.0.0.2', '127.0.0.1']);
    const result = await sender().post(`http://mixed-send.test:${allowed.port}/mixed`, {}, '{}');
    expect(result.outcome).toBe('blocked');
    expect(allowed.hits).not.toContain('/mixed');
    expect(internal.hits).toEqual([]);
  });
});
