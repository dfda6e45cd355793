import { FakeOutbox, tenantAdmin } from '../../testing/usecase-fakes';
import { CreateApiKeyUseCase } from '../create-api-key/create-api-key.usecase';
import { RevokeApiKeyUseCase } from './revoke-api-key.usecase';

describe('RevokeApiKeyUseCase', () => {
  it('revokes once (publishing the revoked record) and treats a second revoke as a no-op', async () => {
    const outbox = new FakeOutbox();
    const key = await new CreateApiKeyUseCase(outbox.asWriter()).execute({
      principal: tenantAdmin,
      input: { name: 'ci', scopes: ['read'] },
    });
    outbox.published.length = 0;
    const useCase = new RevokeApiKeyUseCase(outbox.asWriter());
    expect(await useCase.execute({ principal: tenantAdmin, keyId: key.id })).toEqual({ revoked: true });
    expect(outbox.manager.tables.api_keys[0].revokedAt).toBeInstanceOf(Date);
    expect(outbox.topicsOf()).toEqual([outbox.topics.apiKeys, outbox.topics.audit]);
    expect(await useCase.execute({ principal: tenantAdmin, keyId: key.id })).toEqual({ revoked: false });
    expect(outbox.published).toHaveLength(2);
    const other = { ...tenantAdmin, tenantId: 'globex' };
    await expect(useCase.execute({ principal: other, keyId: key.id })).rejects.toMatchObject({ code: 'not_found' });
  });
});
