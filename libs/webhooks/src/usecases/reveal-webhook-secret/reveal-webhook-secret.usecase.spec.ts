import { FakeOutbox, seedWebhook, tenantAdmin } from '../../testing/usecase-fakes';
import { RevealWebhookSecretUseCase } from './reveal-webhook-secret.usecase';

describe('RevealWebhookSecretUseCase', () => {
  it('returns the secret and audits the reveal without the secret in the record', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    const revealed = await new RevealWebhookSecretUseCase(outbox.asWriter()).execute({
      principal: tenantAdmin,
      webhookId: webhook.id,
    });
    expect(JSON.stringify(revealed)).toContain(webhook.secret!);
    expect(outbox.published).toHaveLength(1);
    expect(outbox.published[0]).toMatchObject({
      topic: outbox.topics.audit,
      value: { action: 'webhook.secret_revealed' },
    });
    expect(JSON.stringify(outbox.published)).not.toContain(webhook.secret!);
  });
});
