import { createServer, type Server } from 'node:http';
import { startGateway } from './gateway';
import { freePort } from './ports';

const listen = (server: Server) =>
  new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    }),
  );
const close = (server: Server) => new Promise((resolve) => server.close(resolve));

/** An upstream that answers with its name and the body it got. */
const upstream = (name: string) =>
  createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => res.end(`${name}:${body}`));
  });

describe('startGateway with replicas', () => {
  it('spreads requests over the replicas in turn and moves on from one that refuses connections', async () => {
    const a = upstream('a');
    const b = upstream('b');
    const [urlA, urlB] = [await listen(a), await listen(b)];
    const port = await freePort();
    const gateway = await startGateway(port, [{ prefix: '/v1/events', target: urlA, targets: [urlA, urlB] }]);
    const post = async (body: string) =>
      (await fetch(`http://127.0.0.1:${port}/v1/events`, { method: 'POST', body })).text();
    try {
      expect([await post('1'), await post('2'), await post('3'), await post('4')]).toEqual([
        'a:1',
        'b:2',
        'a:3',
        'b:4',
      ]);
      await close(b);
      // b is down: every request reaches a, body intact.
      expect([await post('5'), await post('6')]).toEqual(['a:5', 'a:6']);
      await close(a);
      const refused = await fetch(`http://127.0.0.1:${port}/v1/events`, { method: 'POST', body: 'x' });
      expect(refused.status).toBe(502);
      expect(await refused.text()).toContain('upstream failed');
    } finally {
      await close(gateway);
    }
  });
});
