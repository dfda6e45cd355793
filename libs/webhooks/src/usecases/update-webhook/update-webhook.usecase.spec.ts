import { EventTypeCatalog } from '../../event-types/event-type-catalog';
import { FakeOutbox, seedWebhook, tenantAdmin, webhooksOptions } from '../../testing/usecase-fakes';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { UpdateWebhookUseCase } from './update-webhook.usecase';

async function setUp() {
  const outbox = new FakeOutbox();
  const webhook = await seedWebhook(outbox);
  const options = webhooksOptions();
  const useCase = new UpdateWebhookUseCase(
    outbox.webhookWriter(),
    new WebhookUrlPolicy(options),
    new EventTypeCatalog(null as never),
    options,
  );
  return { outbox, webhook, useCase };
}

describe('UpdateWebhookUseCase', () => {
  it('applies the given fields only, bumps the version and publishes the change', async () => {
    const { outbox, webhook, useCase } = await setUp();
    const updated = await useCase.execute({
      principal: tenantAdmin,
      webhookId: webhook.id,
      input: { name: 'renamed' } as never,
    });
    expect(updated).toMatchObject({ name: 'renamed', url: webhook.url, version: 2 });
    expect(outbox.topicsOf()).toEqual([outbox.topics.subscriptions, outbox.topics.audit]);
  });

  it('refuses a stale version: 412 from If-Match, 409 from the body', async () => {
    const { webhook, useCase } = await setUp();
    const stale = (from: 'if-match' | 'body') =>
      useCase.execute({
        principal: tenantAdmin,
        webhookId: webhook.id,
        input: { name: 'x' } as never,
        expected: { version: 7, from },
      });
    await expect(stale('if-match')).rejects.toMatchObject({ code: 'precondition_failed' });
    await expect(stale('body')).rejects.toMatchObject({ code: 'version_conflict' });
  });

  it("answers not found for another tenant's webhook", async () => {
    const { webhook, useCase } = await setUp();
    const other = { ...tenantAdmin, tenantId: 'globex' };
    await expect(
      useCase.execute({ principal: other, webhookId: webhook.id, input: {} as never }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

describe('UpdateWebhookUseCase: timeoutMs', () => {
  it('takes a timeout up to the deployment budget and refuses one above it, naming the field and bound', async () => {
    const { webhook, useCase, outbox } = await setUp();
    const updated = await useCase.execute({
      principal: tenantAdmin,
      webhookId: webhook.id,
      input: { timeoutMs: 1500 },
    });
    expect(updated).toMatchObject({ timeoutMs: 1500, version: 2 });
    const published = outbox.published.length;
    await expect(
      useCase.execute({ principal: tenantAdmin, webhookId: webhook.id, input: { timeoutMs: 5001 } }),
    ).rejects.toMatchObject({
      code: 'invalid_request',
      message: "timeoutMs must be at most 5000 (ms), the deployment's delivery timeout",
    });
    expect(outbox.published.length).toBe(published);
  });
});
