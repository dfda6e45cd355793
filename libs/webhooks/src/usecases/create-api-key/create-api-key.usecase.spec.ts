import { FakeOutbox, operator, tenantAdmin } from '../../testing/usecase-fakes';
import { CreateApiKeyUseCase } from './create-api-key.usecase';

describe('CreateApiKeyUseCase', () => {
  it('returns the token once, stores only its hash and publishes the key record before returning', async () => {
    const outbox = new FakeOutbox();
    const created = await new CreateApiKeyUseCase(outbox.asWriter()).execute({
      principal: tenantAdmin,
      input: { name: 'ci', scopes: ['read', 'read'] },
    });
    expect(created).toMatchObject({ tenantId: 'acme', name: 'ci', scopes: ['read'] });
    expect(JSON.stringify(outbox.manager.tables.api_keys)).not.toContain(created.key);
    expect(JSON.stringify(outbox.published)).not.toContain(created.key);
    expect(outbox.topicsOf()).toEqual([outbox.topics.apiKeys, outbox.topics.audit]);
  });

  it('lets only the bootstrap key create keys for another tenant', async () => {
    const useCase = new CreateApiKeyUseCase(new FakeOutbox().asWriter());
    const input = { name: 'x', scopes: ['admin' as const], tenantId: 'globex' };
    await expect(useCase.execute({ principal: tenantAdmin, input })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(useCase.execute({ principal: operator, input })).resolves.toMatchObject({ tenantId: 'globex' });
  });
});
