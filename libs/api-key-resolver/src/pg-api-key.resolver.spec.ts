import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { PgApiKeyResolver } from './pg-api-key.resolver';

const generateApiKeyToken = () => `hk_${randomBytes(32).toString('base64url')}`;

/** A DataSource that records every query; the row store is keyed by what the SQL is given. */
function recordingDataSource(rows: Record<string, object[]> = {}) {
  const queries: { sql: string; parameters: unknown[] }[] = [];
  const dataSource = {
    query: jest.fn(async (sql: string, parameters: unknown[] = []) => {
      queries.push({ sql, parameters });
      return rows[String(parameters[0])] ?? [];
    }),
  } as unknown as DataSource;
  return { dataSource, queries };
}

describe('PgApiKeyResolver', () => {
  it('looks a token up by its SHA-256 hash only: the token is in neither the SQL nor its parameters', async () => {
    const token = generateApiKeyToken();
    const hash = createHash('sha256').update(token).digest('hex');
    const { dataSource, queries } = recordingDataSource({
      [hash]: [{ id: 'key_1', tenant_id: 'acme', name: 'ci', scopes: ['read'] }],
    });

    await expect(new PgApiKeyResolver(dataSource).resolve(token)).resolves.toEqual({
      tenantId: 'acme',
      scopes: ['read'],
      keyId: 'key_1',
      keyName: 'ci',
    });
    expect(queries).toHaveLength(1);
    const [{ sql, parameters }] = queries;
    expect(parameters).toEqual([hash]);
    // The secret part of the token (or the whole) appears nowhere in what reaches PostgreSQL.
    const sent = `${sql}\n${JSON.stringify(parameters)}`;
    expect(sent).not.toContain(token);
    expect(sent).not.toContain(token.slice(3));
    // Revoked keys must not match: the query itself excludes them.
    expect(sql).toMatch(/WHERE key_hash = \$1 AND revoked_at IS NULL/);
  });

  it('answers null for an unknown token, and skips the query for one that is not ours', async () => {
    const { dataSource, queries } = recordingDataSource();
    const resolver = new PgApiKeyResolver(dataSource);
    await expect(resolver.resolve(generateApiKeyToken())).resolves.toBeNull();
    expect(queries).toHaveLength(1);
    for (const token of ['not-a-key', 'hk_short', `hk_${'a'.repeat(44)}`])
      await expect(resolver.resolve(token)).resolves.toBeNull();
    expect(queries).toHaveLength(1);
  });
});
