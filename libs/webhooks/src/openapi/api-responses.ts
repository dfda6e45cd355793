import { z } from 'zod';

/**
 * The shapes the REST API answers with, for the OpenAPI document. A unit test parses real
 * responses with them (strictly), so the document cannot drift from what the code returns.
 */
const userInfo = z.strictObject({ userId: z.string(), userName: z.string() });
const timestamp = z.string().describe('ISO 8601');

export const webhookResponseSchema = z
  .strictObject({
    id: z.string(),
    tenantId: z.string(),
    name: z.string(),
    url: z.string(),
    description: z.string().nullable(),
    events: z.array(z.string()),
    entities: z.array(z.string()).describe('Entities subscribed to as a whole (events `<entity>.*`)'),
    status: z.enum(['ACTIVE', 'INACTIVE', 'DISABLED']),
    active: z.boolean(),
    disabledReason: z.string().nullable(),
    technicalContactId: z.string().nullable(),
    failureEmail: z.string().nullable(),
    headers: z.record(z.string(), z.string()),
    rateLimitPerSecond: z.number().int().nullable(),
    metadata: z.record(z.string(), z.string()),
    version: z.number().int().describe('Optimistic-concurrency version; send it back in If-Match'),
    creationDate: timestamp,
    lastModifiedDate: timestamp,
    createdUserInfo: userInfo,
    lastModifiedUserInfo: userInfo,
    lastTriggeredAt: timestamp.nullable(),
    publicKey: z
      .string()
      .nullable()
      .describe(
        'ed25519 public key, DER (SPKI) base64, for v1a signatures; null unless signatureProfiles has asymmetric',
      ),
    keyGenerationTimestamp: timestamp.nullable(),
    staticKeyConfigured: z.boolean(),
    signatureProfiles: z.array(z.enum(['standard', 'compat', 'asymmetric'])),
    retrySchedule: z.array(z.number()).nullable(),
    maxConcurrency: z.number().int().nullable(),
    timeoutMs: z.number().int().nullable(),
    filter: z.string().nullable().describe('CEL payload filter; null: every event of the listed types'),
    previousSecretExpiresAt: timestamp
      .nullable()
      .describe('During a rotation overlap: when the old secret stops signing'),
    secret: z.string().optional().describe('Only in the answers to create and rotate-secret'),
    deliveryStats: z
      .object({
        attempts: z.number().int(),
        successes: z.number().int(),
        successRate: z.number().nullable().describe('0-1; null before the first attempt'),
        lastOutcome: z.string().nullable(),
        lastError: z.string().nullable(),
        lastErrorAt: timestamp.nullable(),
      })
      .optional()
      .describe('In reads (get, list): what audit-log recorded of its deliveries'),
  })
  .catchall(z.unknown());

export const webhookListSchema = z.strictObject({
  data: z.array(webhookResponseSchema),
  nextCursor: z.string().nullable(),
  limit: z.number().int().positive().describe("The tenant's webhook limit (how many it may have)"),
});

export const webhookSecretSchema = z.strictObject({
  id: z.string(),
  secret: z.string(),
  previousSecret: z.string().nullable(),
  previousSecretExpiresAt: timestamp.nullable(),
  staticKey: z.string().nullable().describe('The X-KEY header value, when configured'),
});

export const testEventResultSchema = z.strictObject({
  webhookId: z.string(),
  eventId: z.string(),
  eventType: z.string(),
  outcome: z.string().describe('success, http_error, timeout, network, blocked, gone, …'),
  error: z.string().nullable(),
  durationMs: z.number(),
  request: z.strictObject({ url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }),
  response: z.strictObject({ status: z.number().int(), body: z.string(), bodyTruncated: z.boolean() }).nullable(),
});

export const apiKeyResponseSchema = z.strictObject({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  scopes: z.array(z.string()),
  keyPrefix: z.string(),
  createdUserInfo: userInfo,
  creationDate: timestamp,
  revokedAt: timestamp.nullable(),
  key: z.string().optional().describe('The bearer token; only in the answer to create'),
});
export const apiKeyListSchema = z.strictObject({ data: z.array(apiKeyResponseSchema) });

export const eventTypeResponseSchema = z.strictObject({
  name: z.string(),
  description: z.string().nullable(),
  schema: z.record(z.string(), z.unknown()).nullable(),
  deprecated: z.boolean(),
  version: z.number().int(),
  creationDate: timestamp,
  lastModifiedDate: timestamp,
});
export const eventTypeListSchema = z.strictObject({ data: z.array(eventTypeResponseSchema) });

const portalBranding = z.strictObject({
  productName: z.string().optional(),
  logoUrl: z.string().optional(),
  primaryColor: z.string().optional(),
  theme: z.enum(['light', 'dark']).optional(),
});
export const portalSessionResponseSchema = z.strictObject({
  id: z.string(),
  tenantId: z.string(),
  scope: z.enum(['full', 'read-only']),
  webhookIds: z.array(z.string()).nullable(),
  eventTypes: z.array(z.string()).nullable(),
  branding: portalBranding.nullable(),
  createdUserInfo: userInfo,
  creationDate: timestamp,
  expiresAt: timestamp,
  openedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
  url: z.string().describe('The one-time link (`<base>/admin/session/<token>`); only in the answer to create'),
});
export const currentPortalSessionSchema = portalSessionResponseSchema
  .pick({ id: true, tenantId: true, scope: true, webhookIds: true, eventTypes: true, expiresAt: true })
  .extend({ branding: portalBranding });
