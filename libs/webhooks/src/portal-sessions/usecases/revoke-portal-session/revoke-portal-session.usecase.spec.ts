import { FakeOutbox, tenantAdmin } from '../../../testing/usecase-fakes';
import { CreatePortalSessionUseCase } from '../create-portal-session/create-portal-session.usecase';
import { RevokePortalSessionUseCase } from './revoke-portal-session.usecase';

describe('RevokePortalSessionUseCase', () => {
  it('revokes once (audited), treats a second revoke as a no-op and hides other tenants’ sessions', async () => {
    const outbox = new FakeOutbox();
    const session = await new CreatePortalSessionUseCase(outbox.asWriter()).execute({
      principal: tenantAdmin,
      input: { scope: 'full', expiresInMinutes: 60 },
      baseUrl: '',
    });
    outbox.published.length = 0;
    const useCase = new RevokePortalSessionUseCase(outbox.asWriter());
    const other = { ...tenantAdmin, tenantId: 'globex' };
    await expect(useCase.execute({ principal: other, sessionId: session.id })).rejects.toMatchObject({
      code: 'not_found',
    });
    expect(await useCase.execute({ principal: tenantAdmin, sessionId: session.id })).toEqual({ revoked: true });
    expect(outbox.manager.tables.portal_sessions[0].revokedAt).toBeInstanceOf(Date);
    expect(outbox.topicsOf()).toEqual([outbox.topics.audit]);
    expect(await useCase.execute({ principal: tenantAdmin, sessionId: session.id })).toEqual({ revoked: false });
    expect(outbox.published).toHaveLength(1);
  });
});
