import { hashPortalToken } from '../../portal-session-tokens';
import { FakeOutbox, operator, seedWebhook, tenantAdmin } from '../../../testing/usecase-fakes';
import { CreatePortalSessionUseCase } from './create-portal-session.usecase';

const input = { scope: 'read-only' as const, expiresInMinutes: 30 };

describe('CreatePortalSessionUseCase', () => {
  it('stores only the hash of the one-time link, for the caller’s tenant, audited', async () => {
    const outbox = new FakeOutbox();
    const useCase = new CreatePortalSessionUseCase(outbox.asWriter());
    const session = await useCase.execute({ principal: tenantAdmin, input, baseUrl: 'https://h.example' });
    const token = session.url.replace('https://h.example/admin/session/', '');
    expect(token).toMatch(/^hpl_[A-Za-z0-9_-]{43}$/);
    const [row] = outbox.manager.tables.portal_sessions;
    expect(row).toMatchObject({ tenantId: 'acme', scope: 'read-only', linkHash: hashPortalToken(token) });
    expect(JSON.stringify(row)).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 60_000);
    expect(outbox.topicsOf()).toEqual([outbox.topics.audit]);
    expect(JSON.stringify(outbox.published)).not.toContain(token);
  });

  it('lets only the operator name another tenant', async () => {
    const outbox = new FakeOutbox();
    const useCase = new CreatePortalSessionUseCase(outbox.asWriter());
    const other = { ...input, tenantId: 'globex' };
    await expect(useCase.execute({ principal: tenantAdmin, input: other, baseUrl: '' })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(outbox.manager.tables.portal_sessions).toHaveLength(0);
    const session = await useCase.execute({ principal: operator, input: other, baseUrl: '' });
    expect(session.tenantId).toBe('globex');
  });

  it('names a webhook id that is not the tenant’s and keeps the listed ones once each', async () => {
    const outbox = new FakeOutbox();
    const webhook = await seedWebhook(outbox);
    const useCase = new CreatePortalSessionUseCase(outbox.asWriter());
    await expect(
      useCase.execute({ principal: tenantAdmin, input: { ...input, webhookIds: ['wh_nope'] }, baseUrl: '' }),
    ).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringContaining('wh_nope') });
    const session = await useCase.execute({
      principal: tenantAdmin,
      input: { ...input, webhookIds: [webhook.id, webhook.id] },
      baseUrl: '',
    });
    expect(session.webhookIds).toEqual([webhook.id]);
  });
});
