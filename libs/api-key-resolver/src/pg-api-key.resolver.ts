import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_KEY_TOKEN_PATTERN, hashApiKeyToken } from '@herald/contracts';
import { SESSION_TOKEN_PATTERN, type ApiKeyResolver, type Principal } from '@herald/http';

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

  /** A portal session's cookie token, by its hash: live only until it expires or is revoked. */
  async resolveSession(token: string): Promise<Omit<Principal, 'bootstrap'> | null> {
    if (!SESSION_TOKEN_PATTERN.test(token)) return null;
    const rows: SessionRow[] = await this.dataSource.query(
      `SELECT id, tenant_id, scope, webhook_ids, event_types FROM portal_sessions
        WHERE session_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [hashApiKeyToken(token)],
    );
    if (rows.length === 0) return null;
    const [row] = rows;
    return {
      tenantId: row.tenant_id,
      // A full session manages the tenant's webhooks; routes closed to sessions say so (ApiKeysOnly).
      scopes: row.scope === 'full' ? ['admin'] : ['read'],
      keyId: row.id,
      keyName: 'portal session',
      session: { id: row.id, webhookIds: row.webhook_ids, eventTypes: row.event_types },
    };
  }
}

interface SessionRow {
  id: string;
  tenant_id: string;
  scope: string;
  webhook_ids: string[] | null;
  event_types: string[] | null;
}
