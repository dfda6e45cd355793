import { Client } from 'pg';
import { apiKeyRecordSchema, hashApiKeyToken, type ApiKeyRecord } from '@herald/contracts';
import { readKeyed, startSubscriptionApi, type SubscriptionApiHarness } from '../testing/subscription-api-harness';
import { ApiKeyRecordsBackfill } from './api-key-record';
import { generateApiKeyToken } from './api-key-token';

const parse = (value: string | null): ApiKeyRecord => apiKeyRecordSchema.parse(JSON.parse(value ?? 'null'));

describe('API key records on webhooks.api-keys (real PostgreSQL and Kafka)', () => {
  let api: SubscriptionApiHarness;
  let db: Client;
  const topic = () => `${api.prefix}webhooks.api-keys`;

  /** A key as an older release stored it: a row in api_keys and nothing on Kafka. */
  const insertLegacyKey = async (id: string, tenantId: string) => {
    const token = generateApiKeyToken();
    await db.query(
      `INSERT INTO api_keys (id, tenant_id, name, scopes, key_hash, key_prefix, created_by)
       VALUES ($1, $2, 'legacy', '{admin}', $3, 'hk_xxxxxx…', '{"userId":"bootstrap","userName":null}')`,
      [id, tenantId, hashApiKeyToken(token)],
    );
    return token;
  };

  beforeAll(async () => {
    api = await startSubscriptionApi();
    db = new Client({ connectionString: api.databaseUrl });
    await db.connect();
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await api?.close();
  });

  it('publishes a record with every create and revoke, with the hash and never the token', async () => {
    const created = await api.request('POST', '/v1/api-keys', {
      body: { name: 'acme ingest', scopes: ['admin'], tenantId: 'acme' },
    });
    expect(created.status).toBe(201);
    const { id, key: token } = created.body;
    // The create returned only after the relay published: the record is already there.
    const [first] = await readKeyed(topic(), id, 1);
    expect(parse(first)).toEqual({
      keyId: id,
      keyHash: hashApiKeyToken(token),
      tenantId: 'acme',
      scopes: ['admin'],
      name: 'acme ingest',
      revokedAt: null,
    });
    expect(first).not.toContain(token);

    expect((await api.request('DELETE', `/v1/api-keys/${id}`, { headers: { 'x-tenant-id': 'acme' } })).status).toBe(
      204,
    );
    const values = await readKeyed(topic(), id, 2);
    expect(parse(values[1])).toMatchObject({ keyId: id, revokedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  });

  it('backfills keys that exist only in PostgreSQL', async () => {
    const token = await insertLegacyKey('key_legacy_1', 'legacy-tenant');
    const published = await api.app.get(ApiKeyRecordsBackfill).publishAll();
    expect(published).toBeGreaterThanOrEqual(1);
    const [value] = await readKeyed(topic(), 'key_legacy_1', 1);
    expect(parse(value)).toEqual({
      keyId: 'key_legacy_1',
      keyHash: hashApiKeyToken(token),
      tenantId: 'legacy-tenant',
      scopes: ['admin'],
      name: 'legacy',
      revokedAt: null,
    });
  });

  it('waits for a revocation in flight, so the backfill never publishes a stale record after it', async () => {
    await insertLegacyKey('key_legacy_2', 'legacy-tenant');
    await db.query('BEGIN');
    await db.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', ['key_legacy_2']);
    let done = false;
    const backfill = api.app
      .get(ApiKeyRecordsBackfill)
      .publishAll()
      .finally(() => {
        done = true;
      });
    await new Promise((r) => setTimeout(r, 500));
    expect(done).toBe(false);
    await db.query('COMMIT');
    await backfill;
    const [value] = await readKeyed(topic(), 'key_legacy_2', 1);
    expect(parse(value).revokedAt).not.toBeNull();
  });
});
