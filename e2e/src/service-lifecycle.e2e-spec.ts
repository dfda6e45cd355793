import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { Receiver, eventually, startTestStack, type TestStack } from '@herald/testing';

jest.setTimeout(120_000);

const root = resolve(__dirname, '../..');

describe('service configuration and shutdown', () => {
  it.each(['subscription-api', 'event-ingest', 'matcher', 'deliverer', 'audit-log'])(
    '%s refuses to start on a bad environment, naming the variable',
    (service) => {
      const result = spawnSync(process.execPath, [resolve(root, 'dist/apps', service, 'src/main.js')], {
        env: {
          PATH: process.env.PATH,
          PORT: 'not-a-port',
          KAFKA_BROKERS: 'nonsense',
          DATABASE_URL: 'mysql://u:hunter2@h/d',
        },
        encoding: 'utf8',
        timeout: 20000,
      });
      expect(result.status).toBe(78);
      expect(result.stderr).toContain('PORT: must be a port number');
      expect(result.stderr).toContain('KAFKA_BROKERS: must be a comma-separated list of host:port');
      expect(result.stderr).not.toContain('hunter2');
    },
  );

  describe('graceful shutdown', () => {
    let stack: TestStack;
    const receiver = new Receiver();

    beforeAll(async () => {
      await receiver.start();
      stack = await startTestStack();
    });
    afterAll(async () => {
      await stack?.stop();
      await receiver.stop();
    });

    it('finishes in-flight deliveries on SIGTERM, exits 0, and the restarted deliverer does not lose any', async () => {
      receiver.reply = () => ({ status: 200, delayMs: 1500 });
      const created = await stack.api('/v1/webhooks', {
        method: 'POST',
        body: { url: `${receiver.url}/slow`, events: ['order.*'] },
      });
      expect(created.status).toBe(201);
      for (let i = 0; i < 5; i++) {
        const r = await stack.api('/v1/events', {
          method: 'POST',
          body: { eventType: 'order.paid', tenantId: 'default', eventId: `evt-shutdown-${i}` },
        });
        expect(r.status).toBe(202);
      }
      await eventually(async () => receiver.requests.length >= 1, 20000, 'first slow delivery in flight');
      const exitCode = await stack.services.deliverer.stop();
      expect(exitCode).toBe(0);
      await stack.services.deliverer.start();
      const ids = await eventually(
        async () => {
          const seen = new Set(receiver.requests.map((r) => JSON.parse(r.body).eventId));
          return seen.size === 5 ? seen : undefined;
        },
        30000,
        'all five events delivered across the restart',
      );
      expect([...ids].sort()).toEqual([0, 1, 2, 3, 4].map((i) => `evt-shutdown-${i}`));
    });
  });
});
