import { HeraldError, type Principal } from '@herald/http';

/**
 * The event a caller may publish. The bootstrap key (the operator's) publishes for any tenant,
 * as the body says. A tenant key publishes only for its own tenant: without `tenantId` the
 * key's tenant is filled in, and another tenant's is refused (403, naming no data of it). A
 * `tenantId` that is not a string is left for validation to refuse (400).
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
