import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_KEY_TOKEN_PATTERN, hashApiKeyToken } from '@herald/contracts';
import type { ApiKeyResolver, Principal } from '@herald/http';

/** Looks a presented token up by its hash; revoked keys are unknown from the moment of revocation. */
@Injectable()
export class PgApiKeyResolver implements ApiKeyResolver {
  constructor(private readonly dataSource: DataSource) {}

  async resolve(token: string): Promise<Omit<Principal, 'bootstrap'> | null> {
    // Tokens are ours (hk_ + 43 base64url chars); anything else cannot match, so skip the query.
    if (!API_KEY_TOKEN_PATTERN.test(token)) return null;
    const rows: { id: string; tenant_id: string; name: string; scopes: string[] }[] = await this.dataSource.query(
      'SELECT id, tenant_id, name, scopes FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL',
      [hashApiKeyToken(token)],
    );
    if (rows.length === 0) return null;
    const [key] = rows;
    return { tenantId: key.tenant_id, scopes: key.scopes, keyId: key.id, keyName: key.name };
  }
}
