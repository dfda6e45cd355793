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
    // Snapshot, audit record, and the operational event for the tenant's webhooks.
    expect(outbox.topicsOf()).toEqual([outbox.topics.subscriptions, outbox.topics.audit, outbox.topics.events]);
    expect(outbox.published[2]).toMatchObject({
      key: 'acme',
      value: {
        eventType: 'webhook.disabled',
        tenantId: 'acme',
        data: { webhookId: webhook.id, trigger: 'automatic', reason: 'HTTP 410 Gone', status: 'DISABLED' },
      },
    });
    expect(await useCase.execute(request)).toEqual({ disabled: false });
    expect(outbox.published).toHaveLength(3);
  });
});
