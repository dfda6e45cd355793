import { z } from 'zod';
import { SCOPES } from '@herald/http';
import type { ApiKey } from './api-key.entity';

export const createApiKeySchema = z.strictObject({
  name: z
    .string({ error: 'name is required' })
    .trim()
    .min(1, 'name must not be empty')
    .max(100, 'name must be at most 100 characters'),
  scopes: z
    .array(z.enum(SCOPES as [string, ...string[]], { error: `scopes must be among: ${SCOPES.join(', ')}` }))
    .min(1, 'scopes must list at least one scope'),
  /** Only the bootstrap key may create a key for another tenant than its own. */
  tenantId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'tenantId must be 1-128 letters, digits, ".", "_", ":" or "-"')
    .optional(),
});
export type CreateApiKeyInput = z.infer<typeof createApiKeySchema>;

export const listApiKeysQuerySchema = z.strictObject({
  includeRevoked: z.enum(['true', 'false'], { error: 'includeRevoked must be true or false' }).optional(),
});

/** The API view of a key: never the token or its hash. */
export function toApiKeyResponse(key: ApiKey) {
  return {
    id: key.id,
    tenantId: key.tenantId,
    name: key.name,
    scopes: key.scopes,
    keyPrefix: key.keyPrefix,
    createdUserInfo: key.createdBy,
    creationDate: key.createdAt.toISOString(),
    revokedAt: key.revokedAt ? key.revokedAt.toISOString() : null,
  };
}
