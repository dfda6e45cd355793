import { FakeOutbox, seedWebhook, tenantAdmin } from '../../testing/usecase-fakes';
import { RotateWebhookKeyPairUseCase } from './rotate-webhook-key-pair.usecase';

describe('RotateWebhookKeyPairUseCase', () => {
  it('replaces the key pair, returns the public key only and publishes the change', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    const before = outbox.manager.tables.webhooks[0].privateKey;
    const rotated = await new RotateWebhookKeyPairUseCase(outbox.webhookWriter()).execute({ principal: tenantAdmin, webhookId: webhook.id });
    expect(rotated.version).toBe(2);
    expect(outbox.manager.tables.webhooks[0].privateKey).not.toBe(before);
    expect(JSON.stringify(rotated)).not.toContain(outbox.manager.tables.webhooks[0].privateKey);
    expect(outbox.topicsOf()).toEqual([outbox.topics.subscriptions, outbox.topics.audit]);
  });
});
