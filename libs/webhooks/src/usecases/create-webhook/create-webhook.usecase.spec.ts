import { httpErrorOf } from '@herald/http';
import { EventTypeCatalog } from '../../event-types/event-type-catalog';
import { FakeOutbox, tenantAdmin, webhooksOptions } from '../../testing/usecase-fakes';
import { WebhookUrlPolicy } from '../../webhook-url-policy';
import { CreateWebhookUseCase } from './create-webhook.usecase';

function setUp(overrides = {}) {
  const outbox = new FakeOutbox();
  const options = webhooksOptions(overrides);
  const useCase = new CreateWebhookUseCase(
    outbox.webhookWriter(),
    new WebhookUrlPolicy(options),
    new EventTypeCatalog(null as never),
    options,
  );
  return { outbox, useCase };
}
const input = (url = 'http://127.0.0.1:9/hook') => ({ url, events: ['order.*'] }) as never;

describe('CreateWebhookUseCase', () => {
  it('stores the webhook, returns its secret once and publishes its snapshot and audit record', async () => {
    const { outbox, useCase } = setUp();
    const created = await useCase.execute({ principal: tenantAdmin, input: input() });
    expect(created).toMatchObject({
      tenantId: 'acme',
      url: 'http://127.0.0.1:9/hook',
      events: ['order.*'],
      version: 1,
    });
    expect(created.secret).toMatch(/^whsec_/);
    expect(outbox.manager.tables.webhooks).toHaveLength(1);
    expect(outbox.topicsOf()).toEqual([outbox.topics.subscriptions, outbox.topics.audit]);
  });

  it('returns the first response to a repeated Idempotency-Key without creating again', async () => {
    const { outbox, useCase } = setUp();
    const first = await useCase.execute({ principal: tenantAdmin, input: input(), idempotencyKey: 'k1' });
    const again = await useCase.execute({ principal: tenantAdmin, input: input(), idempotencyKey: 'k1' });
    expect(again.id).toBe(first.id);
    expect(outbox.manager.tables.webhooks).toHaveLength(1);
    const reused = await useCase
      .execute({ principal: tenantAdmin, input: input('http://127.0.0.1:9/other'), idempotencyKey: 'k1' })
      .catch((e) => e);
    expect(httpErrorOf(reused)).toMatchObject({ status: 422, body: { error: { code: 'idempotency_key_reused' } } });
  });

  it("refuses a webhook over the tenant's limit with the limit in the message, and a refused URL", async () => {
    const { useCase } = setUp({ webhookLimitPerTenant: 1 });
    await useCase.execute({ principal: tenantAdmin, input: input() });
    const refusal = await useCase.execute({ principal: tenantAdmin, input: input() }).catch((e) => e);
    expect(refusal).toMatchObject({
      code: 'webhook_limit_reached',
      message: expect.stringContaining('the limit is 1'),
    });
    const https = setUp({ httpsOnly: true });
    await expect(https.useCase.execute({ principal: tenantAdmin, input: input() })).rejects.toMatchObject({
      code: 'invalid_request',
    });
    expect(https.outbox.published).toEqual([]);
  });
});
