import { z } from 'zod';
import type { PortalSession } from './portal-session.entity';

export const PORTAL_SESSION_SCOPES = ['full', 'read-only'] as const;
export type PortalSessionScope = (typeof PORTAL_SESSION_SCOPES)[number];
/** From five minutes to thirty days. */
export const PORTAL_SESSION_MINUTES = { min: 5, max: 43_200, default: 60 } as const;

const brandingSchema = z.strictObject({
  productName: z
    .string()
    .trim()
    .min(1, 'branding.productName must not be empty')
    .max(60, 'branding.productName must be at most 60 characters')
    .optional(),
  logoUrl: z
    .url({ protocol: /^https$/, error: 'branding.logoUrl must be an https:// URL' })
    .max(500, 'branding.logoUrl must be at most 500 characters')
    .optional(),
  primaryColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'branding.primaryColor must be a hex color such as #1a73e8')
    .optional(),
  theme: z.enum(['light', 'dark'], { error: 'branding.theme must be light or dark' }).optional(),
});
export type PortalBranding = z.infer<typeof brandingSchema>;

const idList = (field: string, pattern: RegExp, what: string) =>
  z
    .array(z.string().regex(pattern, `${field} must hold ${what}`), { error: `${field} must be an array` })
    .min(1, `${field} must list at least one entry (leave it out to show all)`)
    .max(100, `${field} must list at most 100 entries`)
    .optional();

export const createPortalSessionSchema = z.strictObject({
  /** Only the bootstrap (operator) key may name another tenant than its own. */
  tenantId: z
    .string()
    .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'tenantId must be 1-128 letters, digits, ".", "_", ":" or "-"')
    .optional(),
  scope: z.enum(PORTAL_SESSION_SCOPES, { error: 'scope must be full or read-only' }).default('full'),
  webhookIds: idList('webhookIds', /^[A-Za-z0-9_-]{1,64}$/, 'webhook ids'),
  eventTypes: idList('eventTypes', /^[A-Za-z0-9_.*:-]{1,128}$/, 'event type names'),
  expiresInMinutes: z
    .number({ error: 'expiresInMinutes must be a number' })
    .int('expiresInMinutes must be a whole number')
    .min(PORTAL_SESSION_MINUTES.min, `expiresInMinutes must be at least ${PORTAL_SESSION_MINUTES.min}`)
    .max(PORTAL_SESSION_MINUTES.max, `expiresInMinutes must be at most ${PORTAL_SESSION_MINUTES.max} (30 days)`)
    .default(PORTAL_SESSION_MINUTES.default),
  branding: brandingSchema.optional(),
});
export type CreatePortalSessionInput = z.infer<typeof createPortalSessionSchema>;

/** The API view of a session: never a token or its hash. */
export function toPortalSessionResponse(session: PortalSession) {
  return {
    id: session.id,
    tenantId: session.tenantId,
    scope: session.scope,
    webhookIds: session.webhookIds,
    eventTypes: session.eventTypes,
    branding: session.branding,
    createdUserInfo: session.createdBy,
    creationDate: session.createdAt.toISOString(),
    expiresAt: session.expiresAt.toISOString(),
    openedAt: session.openedAt ? session.openedAt.toISOString() : null,
    revokedAt: session.revokedAt ? session.revokedAt.toISOString() : null,
  };
}
export type PortalSessionResponse = ReturnType<typeof toPortalSessionResponse>;

/** What GET /v1/portal-sessions/current tells the portal: the session's tenant, scope, subset, expiry and branding. */
export function toCurrentPortalSessionResponse(session: PortalSession) {
  const { id, tenantId, scope, webhookIds, eventTypes, branding, expiresAt } = toPortalSessionResponse(session);
  return { id, tenantId, scope, webhookIds, eventTypes, branding: branding ?? {}, expiresAt };
}
