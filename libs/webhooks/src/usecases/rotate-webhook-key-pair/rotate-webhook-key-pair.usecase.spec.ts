import { FakeOutbox, seedWebhook, tenantAdmin } from '../../testing/usecase-fakes';
import type { WebhookEntity } from '../../webhook.entity';
import { setSignatureProfiles } from '../../webhook-mutation';
import { RotateWebhookKeyPairUseCase } from './rotate-webhook-key-pair.usecase';

describe('RotateWebhookKeyPairUseCase', () => {
  it('replaces the key pair, returns the public key only and publishes the change', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    setSignatureProfiles(outbox.manager.tables.webhooks[0] as unknown as WebhookEntity, ['standard', 'asymmetric']);
    const before = outbox.manager.tables.webhooks[0].privateKey;
    const rotated = await new RotateWebhookKeyPairUseCase(outbox.webhookWriter()).execute({
      principal: tenantAdmin,
      webhookId: webhook.id,
    });
    expect(rotated.version).toBe(2);
    expect(outbox.manager.tables.webhooks[0].privateKey).not.toBe(before);
    expect(JSON.stringify(rotated)).not.toContain(outbox.manager.tables.webhooks[0].privateKey);
    expect(outbox.topicsOf()).toEqual([outbox.topics.subscriptions, outbox.topics.audit]);
  });

  it('refuses a webhook that did not ask for asymmetric signatures, changing and publishing nothing', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    await expect(
      new RotateWebhookKeyPairUseCase(outbox.webhookWriter()).execute({
        principal: tenantAdmin,
        webhookId: webhook.id,
      }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: `Webhook ${webhook.id} has no key pair: add asymmetric to its signatureProfiles to get v1a signatures`,
    });
    expect(outbox.manager.tables.webhooks[0]).toMatchObject({ version: 1, privateKey: null });
    expect(outbox.published).toEqual([]);
  });
});
