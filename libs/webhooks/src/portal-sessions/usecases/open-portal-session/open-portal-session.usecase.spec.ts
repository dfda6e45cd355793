import type { DataSource } from 'typeorm';
import { generateLinkToken, hashPortalToken } from '../../portal-session-tokens';
import { OpenPortalSessionUseCase } from './open-portal-session.usecase';

// PostgreSQL's conditional UPDATE, reduced to the one link row it may claim.
function fakeDataSource(link: { hash: string; open: boolean }) {
  const calls: unknown[][] = [];
  const dataSource = {
    async query(_sql: string, params: unknown[]) {
      calls.push(params);
      if (params[0] !== link.hash || !link.open) return [[], 0];
      link.open = false;
      return [[{ expires_at: new Date('2030-01-01T00:00:00Z') }], 1];
    },
  };
  return { dataSource: dataSource as unknown as DataSource, calls };
}

describe('OpenPortalSessionUseCase', () => {
  it('exchanges a link once for a session token, sending PostgreSQL only hashes', async () => {
    const token = generateLinkToken();
    const { dataSource, calls } = fakeDataSource({ hash: hashPortalToken(token), open: true });
    const useCase = new OpenPortalSessionUseCase(dataSource);
    const opened = await useCase.execute({ linkToken: token });
    expect(opened.sessionToken).toMatch(/^hps_/);
    expect(opened.expiresAt.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(calls[0]).toEqual([hashPortalToken(token), hashPortalToken(opened.sessionToken)]);
    await expect(useCase.execute({ linkToken: token })).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('refuses a malformed token without asking PostgreSQL', async () => {
    const { dataSource, calls } = fakeDataSource({ hash: '', open: true });
    await expect(new OpenPortalSessionUseCase(dataSource).execute({ linkToken: 'hpl_short' })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    expect(calls).toHaveLength(0);
  });
});
