import { FakeOutbox, seedWebhook, tenantAdmin } from '../../testing/usecase-fakes';
import { DeleteWebhookUseCase } from './delete-webhook.usecase';

describe('DeleteWebhookUseCase', () => {
  it('deletes the row and publishes a tombstone for its snapshot', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    const useCase = new DeleteWebhookUseCase(outbox.webhookWriter());
    expect(await useCase.execute({ principal: tenantAdmin, webhookId: webhook.id })).toEqual({ deletedId: webhook.id });
    expect(outbox.manager.tables.webhooks).toEqual([]);
    expect(outbox.published[0]).toEqual({ topic: outbox.topics.subscriptions, key: webhook.id, value: null });
    await expect(useCase.execute({ principal: tenantAdmin, webhookId: webhook.id })).rejects.toMatchObject({
      code: 'not_found',
    });
  });
});
