import { FakeOutbox, seedWebhook, tenantAdmin } from '../../testing/usecase-fakes';
import { SetWebhookStatusUseCase } from './set-webhook-status.usecase';

describe('SetWebhookStatusUseCase', () => {
  it('deactivates and re-activates, clearing a disabled reason, each audited under its own action', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    outbox.manager.tables.webhooks[0].disabledReason = 'gone';
    const useCase = new SetWebhookStatusUseCase(outbox.webhookWriter());
    expect(await useCase.execute({ principal: tenantAdmin, webhookId: webhook.id, active: false })).toMatchObject({
      status: 'INACTIVE',
      version: 2,
    });
    expect(await useCase.execute({ principal: tenantAdmin, webhookId: webhook.id, active: true })).toMatchObject({
      status: 'ACTIVE',
      version: 3,
    });
    expect(outbox.manager.tables.webhooks[0].disabledReason).toBeNull();
    const actions = outbox.published
      .filter((m) => m.topic === outbox.topics.audit)
      .map((m) => (m.value as { action: string }).action);
    expect(actions).toEqual(['webhook.deactivated', 'webhook.activated']);
    const operational = outbox.published
      .filter((m) => m.topic === outbox.topics.events)
      .map((m) => m.value as { eventType: string; data: { trigger?: string; version: number } });
    expect(operational).toMatchObject([
      { eventType: 'webhook.disabled', data: { trigger: 'manual', version: 2 } },
      { eventType: 'webhook.enabled', data: { version: 3 } },
    ]);
  });
});
