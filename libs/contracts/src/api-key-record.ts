import { createHash } from 'node:crypto';
import { z } from 'zod';

/** The shape of every tenant API key token (`hk_` + 32 random bytes, base64url); anything else cannot be one. */
export const API_KEY_TOKEN_PATTERN = /^hk_[A-Za-z0-9_-]{43}$/;

/** How a token is stored and published: lowercase hex SHA-256 (see generateApiKeyToken for why a fast hash). */
export function hashApiKeyToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * A tenant API key on compacted `webhooks.api-keys` (key: keyId), so event-ingest authenticates
 * without a database. Only the token's SHA-256 travels; the token itself is never written.
 */
export const apiKeyRecordSchema = z.object({
  keyId: z.string().min(1),
  /** Lowercase hex SHA-256 of the token, exactly as in subscription-api's `api_keys.key_hash`. */
  keyHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
  tenantId: z.string().min(1),
  scopes: z.array(z.string()),
  name: z.string(),
  /** ISO 8601 time of revocation; a revoked key authenticates nothing. */
  revokedAt: z.string().nullable(),
});
export type ApiKeyRecord = z.infer<typeof apiKeyRecordSchema>;
