import { FakeOutbox, seedWebhook, tenantAdmin, webhooksOptions } from '../../testing/usecase-fakes';
import { rotateSecretSchema } from './rotate-webhook-secret.command';
import { RotateWebhookSecretUseCase } from './rotate-webhook-secret.usecase';

describe('RotateWebhookSecretUseCase', () => {
  it('signs with a new secret and keeps the old one for the overlap (none with 0)', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    const useCase = new RotateWebhookSecretUseCase(outbox.webhookWriter(), webhooksOptions());
    const rotated = await useCase.execute({ principal: tenantAdmin, webhookId: webhook.id });
    expect(rotated.secret).not.toBe(webhook.secret);
    const row = outbox.manager.tables.webhooks[0];
    expect(row.previousSecret).toBe(webhook.secret);
    expect(row.previousSecretExpiresAt.getTime() - Date.now()).toBeGreaterThan(3500 * 1000);
    await useCase.execute({ principal: tenantAdmin, webhookId: webhook.id, overlapSeconds: 0 });
    expect(outbox.manager.tables.webhooks[0].previousSecret).toBeNull();
  });

  it('bounds the overlap to 7 days in its command schema', () => {
    expect(rotateSecretSchema.safeParse({ overlapSeconds: 604_801 }).error?.issues[0].message).toBe(
      'overlapSeconds must be 0-604800 (7 days)',
    );
    expect(rotateSecretSchema.parse({})).toEqual({});
  });
});
