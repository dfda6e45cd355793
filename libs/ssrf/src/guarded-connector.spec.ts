import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { AddressPolicy } from './address-policy';
import { guardedConnector } from './guarded-connector';
import type { Resolver } from './guarded-lookup';
import { isSsrfBlocked } from './ssrf-blocked.error';

describe('guardedConnector', () => {
  let server: Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  async function send(url: string, allow: string[], resolve?: Resolver): Promise<unknown> {
    const agent = new Agent({
      connect: guardedConnector({ policy: new AddressPolicy(allow), timeoutMs: 2000, resolve }),
    });
    try {
      const response = await request(url, { dispatcher: agent });
      return await response.body.text();
    } catch (error) {
      return error;
    } finally {
      await agent.close();
    }
  }

  it('connects to an allow-listed loopback receiver by literal and by name', async () => {
    expect(await send(`http://127.0.0.1:${port}/`, ['127.0.0.0/8'])).toBe('ok');
    expect(await send(`http://localhost:${port}/`, ['127.0.0.0/8', '::1'])).toBe('ok');
  });

  it.each([
    (p: number) => `http://127.0.0.1:${p}/`,
    (p: number) => `http://2130706433:${p}/`,
    (p: number) => `http://0x7f.0.0.1:${p}/`,
    (p: number) => `http://[::ffff:127.0.0.1]:${p}/`,
    (p: number) => `http://localhost:${p}/`,
  ])('refuses %s without the allow-list, before any byte reaches the receiver', async (url) => {
    const before = hits;
    const result = await send(url(port), []);
    expect(isSsrfBlocked(result)).toBe(true);
    expect(hits).toBe(before);
  });

  it('connects to the address it checked: a resolver answering differently later is never asked again', async () => {
    const answers = [[{ address: '127.0.0.1', family: 4 }], [{ address: '10.0.0.1', family: 4 }]];
    let calls = 0;
    const rebinding: Resolver = async () => answers[Math.min(calls++, 1)];
    expect(await send(`http://rebind.test:${port}/`, ['127.0.0.0/8'], rebinding)).toBe('ok');
    expect(calls).toBe(1);
  });

  it('refuses a name that resolves to a refused address', async () => {
    const internal: Resolver = async () => [{ address: '169.254.169.254', family: 4 }];
    const result = await send(`http://metadata.test:${port}/`, ['127.0.0.0/8'], internal);
    expect(isSsrfBlocked(result)).toBe(true);
    expect((result as Error).message).toContain('metadata.test resolves to 169.254.169.254 is a link-local address');
  });
});
