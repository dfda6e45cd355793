import { Webhook } from 'standardwebhooks';
import { Receiver } from '@herald/testing';
import { tenantAdmin, webhooksOptions } from '../../testing/usecase-fakes';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { sendUrlTestSchema } from './send-url-test.command';
import { SendUrlTestUseCase } from './send-url-test.usecase';

describe('SendUrlTestUseCase', () => {
  const receiver = new Receiver();
  const received = receiver.requests;
  let url = '';
  beforeAll(async () => {
    await receiver.start();
    receiver.reply = () => ({ status: 204 });
    url = `${receiver.url}/video-hook`;
  });
  afterAll(() => receiver.stop());

  it('signs a test to an unsaved URL with a one-off secret and the given X-KEY, which it redacts', async () => {
    const options = webhooksOptions();
    const useCase = new SendUrlTestUseCase(new WebhookUrlPolicy(options), options);
    try {
      const input = sendUrlTestSchema.parse({
        url,
        eventType: 'lead',
        data: { videoId: 'v1' },
        staticKey: 'x-key-0123456789abcdef',
      });
      const result = await useCase.execute({ principal: tenantAdmin, input });
      expect(result).toMatchObject({ eventType: 'lead', outcome: 'success', response: { status: 204 } });
      expect(result.request.headers['x-key']).toBe('[redacted]');
      expect(received).toHaveLength(1);
      expect(received[0].headers['x-key']).toBe('x-key-0123456789abcdef');
      const payload = new Webhook(result.secret).verify(
        received[0].body,
        received[0].headers as Record<string, string>,
      );
      expect(payload).toMatchObject({ event: 'lead', tenantId: tenantAdmin.tenantId, data: { videoId: 'v1' } });
    } finally {
      await useCase.onApplicationShutdown();
    }
  });

  it('refuses an address the delivery guard refuses, and sends nothing', async () => {
    const options = webhooksOptions({ resolve: async () => [{ address: '169.254.169.254', family: 4 }] });
    const useCase = new SendUrlTestUseCase(new WebhookUrlPolicy(options), options);
    const before = received.length;
    try {
      const input = sendUrlTestSchema.parse({ url: 'http://metadata.example.com/x' });
      await expect(useCase.execute({ principal: tenantAdmin, input })).rejects.toMatchObject({
        code: 'invalid_request',
      });
      expect(sendUrlTestSchema.safeParse({ url: 'javascript:alert(1)' }).success).toBe(false);
      expect(received).toHaveLength(before);
    } finally {
      await useCase.onApplicationShutdown();
    }
  });
});
