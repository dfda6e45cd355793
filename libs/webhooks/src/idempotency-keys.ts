import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { HeraldError } from '@herald/http';

/** How long the first response to an `Idempotency-Key` is returned for repeats. */
export const IDEMPOTENCY_WINDOW_HOURS = 12;

export interface IdempotencyClaim {
  tenantId: string;
  /** The operation, e.g. `POST /v1/webhooks`: the same key on another route is another request. */
  scope: string;
  key: string;
  /** The request body, canonicalised by JSON.stringify of the parsed input. */
  request: unknown;
}

export const idempotencyKeyPattern = /^[\x21-\x7e]{1,255}$/;

const hashOf = (request: unknown) => createHash('sha256').update(JSON.stringify(request)).digest('hex');

/**
 * A racing request with the same key blocks on the row until the first commits, so one resource is created.
 * Returns the earlier response, or null: the caller owns the key and stores its response in this transaction.
 */
export async function claimIdempotencyKey(manager: EntityManager, claim: IdempotencyClaim): Promise<unknown | null> {
  const requestHash = hashOf(claim.request);
  const claimed: unknown[] = await manager.query(
    `INSERT INTO idempotency_keys (tenant_id, scope, idem_key, request_hash)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, scope, idem_key) DO UPDATE
       SET request_hash = EXCLUDED.request_hash, response = NULL, created_at = now()
       WHERE idempotency_keys.created_at < now() - make_interval(hours => $5)
     RETURNING 1`,
    [claim.tenantId, claim.scope, claim.key, requestHash, IDEMPOTENCY_WINDOW_HOURS],
  );
  if (claimed.length > 0) return null;
  const [existing]: { request_hash: string; response: unknown }[] = await manager.query(
    'SELECT request_hash, response FROM idempotency_keys WHERE tenant_id = $1 AND scope = $2 AND idem_key = $3',
    [claim.tenantId, claim.scope, claim.key],
  );
  if (existing.request_hash !== requestHash) {
    throw new HeraldError(
      'idempotency_key_reused',
      `Idempotency-Key was already used within ${IDEMPOTENCY_WINDOW_HOURS} h for a different request body`,
    );
  }
  return existing.response;
}

export async function storeIdempotentResponse(
  manager: EntityManager,
  claim: IdempotencyClaim,
  response: unknown,
): Promise<void> {
  await manager.query(
    'UPDATE idempotency_keys SET response = $4 WHERE tenant_id = $1 AND scope = $2 AND idem_key = $3',
    [claim.tenantId, claim.scope, claim.key, JSON.stringify(response)],
  );
  // Keep the table small: expired keys go whenever someone writes one.
  await manager.query(`DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => $1)`, [
    IDEMPOTENCY_WINDOW_HOURS,
  ]);
}
