import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebhookQueries } from '../../webhook-queries';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { FakeOutbox, seedWebhook, tenantAdmin, webhooksOptions } from '../../testing/usecase-fakes';
import { WebhookEntity } from '../../webhook.entity';
import { SendTestEventUseCase } from './send-test-event.usecase';

describe('SendTestEventUseCase', () => {
  const received: { headers: IncomingHttpHeaders; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req
      .on('data', (c) => (body += c))
      .on('end', () => {
        received.push({ headers: req.headers, body });
        res.writeHead(418).end('short and stout');
      });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('sends one signed event and reports the response, redacting custom headers', async () => {
    const outbox = new FakeOutbox();
    const { id } = await seedWebhook(outbox);
    const row = Object.assign(new WebhookEntity(), outbox.manager.tables.webhooks[0], {
      url,
      headers: { 'X-Token': 'custom-secret' },
    });
    const queries = { get: async () => row } as unknown as WebhookQueries;
    const options = webhooksOptions();
    const useCase = new SendTestEventUseCase(queries, new WebhookUrlPolicy(options), options);
    try {
      const result = await useCase.execute({
        principal: tenantAdmin,
        webhookId: id,
        input: { eventType: 'order.created', data: { n: 1 } },
      });
      expect(result).toMatchObject({
        webhookId: id,
        eventType: 'order.created',
        outcome: 'http_error',
        response: { status: 418, body: 'short and stout' },
      });
      expect(result.request.headers['X-Token']).toBe('[redacted]');
      expect(received).toHaveLength(1);
      expect(received[0].headers['webhook-signature']).toMatch(/^v1,/);
      expect(JSON.parse(received[0].body)).toMatchObject({ data: { n: 1 } });
      expect(received[0].body).toContain('order.created');
      await expect(
        useCase.execute({ principal: tenantAdmin, webhookId: id, input: { eventType: '*bad' } }),
      ).rejects.toMatchObject({ code: 'invalid_request' });
    } finally {
      await useCase.onApplicationShutdown();
    }
  });
});
