import { FakeOutbox, seedWebhook } from '../../testing/usecase-fakes';
import { DisableWebhookUseCase } from './disable-webhook.usecase';

describe('DisableWebhookUseCase', () => {
  it('disables an ACTIVE webhook at its version, and ignores a request about an older one', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    const useCase = new DisableWebhookUseCase(outbox.webhookWriter());
    const request = { tenantId: 'acme', webhookId: webhook.id, version: 1, reason: 'HTTP 410 Gone' } as never;
    expect(await useCase.execute(request)).toEqual({ disabled: true });
    expect(outbox.manager.tables.webhooks[0]).toMatchObject({
      status: 'DISABLED',
      disabledReason: 'HTTP 410 Gone',
      version: 2,
    });
    expect(outbox.published).toHaveLength(2);
    expect(await useCase.execute(request)).toEqual({ disabled: false });
    expect(outbox.published).toHaveLength(2);
  });
});
