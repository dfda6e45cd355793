import { HeraldError, type Principal } from '@herald/http';

/**
 * A tenant key publishes only for its own tenant (403 otherwise, naming none of its data); the
 * bootstrap key for any. A non-string `tenantId` is left for validation to refuse (400).
 */
export function eventForPrincipal(body: Record<string, unknown>, principal: Principal): Record<string, unknown> {
  if (principal.bootstrap) return body;
  if (body.tenantId === undefined) return { ...body, tenantId: principal.tenantId };
  if (typeof body.tenantId === 'string' && body.tenantId !== principal.tenantId) {
    throw new HeraldError(
      'forbidden',
      "This API key publishes events only for its own tenant: tenantId must be the key's tenant, or be left out to use it",
    );
  }
  return body;
}
