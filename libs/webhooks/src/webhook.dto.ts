import { z } from 'zod';
import { eventTypeSchema, type WebhookSnapshot } from '@herald/contracts';
import { EVENT_FILTER_MAX_LENGTH, InvalidEventFilterError, compileEventFilter } from '@herald/event-filter';
import type { WebhookEntity } from './webhook.entity';

export const NAME_MAX = 50;
export const URL_MAX = 500;

const refusedUrl = 'url must be an http:// or https:// URL with a host name (e.g. https://example.com/hooks)';

/** http(s) only, with a real host name; `javascript:`, `data:`, `file:` and the like are refused. */
export const webhookUrlSchema = z
  .string({ error: 'url is required' })
  .trim()
  .min(1, 'url must not be empty')
  .max(URL_MAX, `url must be at most ${URL_MAX} characters`)
  .superRefine((value, ctx) => {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      ctx.addIssue({ code: 'custom', message: refusedUrl });
      return;
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      ctx.addIssue({ code: 'custom', message: `url scheme "${parsed.protocol}" is not allowed; ${refusedUrl}` });
      return;
    }
    if (!parsed.hostname) ctx.addIssue({ code: 'custom', message: refusedUrl });
    if (parsed.username || parsed.password) {
      ctx.addIssue({ code: 'custom', message: 'url must not contain credentials' });
    }
  });

const nameSchema = z
  .string({ error: 'name must be a string' })
  .trim()
  .min(1, 'name must not be empty')
  .max(NAME_MAX, `name must be at most ${NAME_MAX} characters`);

const eventsSchema = z
  .array(z.union([z.literal('*'), eventTypeSchema.or(z.string().regex(/^[A-Za-z0-9_:-]+(\.[A-Za-z0-9_:-]+)*\.\*$/))]), {
    error: 'events must be an array of event type names',
  })
  .min(1, 'events must list at least one event type (or "*")')
  .max(100, 'events must list at most 100 entries');

const headerNameSchema = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'header names must be 1-64 letters, digits or "-"');
const headersSchema = z
  .record(headerNameSchema, z.string().max(1024, 'header values must be at most 1024 characters'))
  .refine((h) => Object.keys(h).length <= 20, 'headers must have at most 20 entries');

const metadataSchema = z
  .record(z.string().max(64), z.string().max(512, 'metadata values must be at most 512 characters'))
  .refine((m) => Object.keys(m).length <= 50, 'metadata must have at most 50 entries');

/** Mindset-style `entities` (e.g. `agent`) subscribe to every event of that entity (`agent.*`). */
const entitiesSchema = z
  .array(z.string().regex(/^[a-z][a-z0-9_]*$/, 'entities must be lower-case entity names'))
  .min(1);

/** A CEL expression over `event.type`, `event.data` and `event.metadata`; empty or null = no filter. */
const filterSchema = z
  .string({ error: 'filter must be a string (a CEL expression) or null' })
  .trim()
  .max(EVENT_FILTER_MAX_LENGTH, `filter must be at most ${EVENT_FILTER_MAX_LENGTH} characters`)
  .nullable()
  .transform((value) => value || null)
  .superRefine((value, ctx) => {
    if (value === null) return;
    try {
      compileEventFilter(value);
    } catch (error) {
      if (!(error instanceof InvalidEventFilterError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
    }
  })
  .describe(
    'CEL expression over event.type, event.data and event.metadata (e.g. `event.data.amount >= 100.0`); only events it accepts are delivered. Empty or null: no filter',
  );

const writableFields = {
  name: nameSchema,
  url: webhookUrlSchema,
  description: z.string().max(1000, 'description must be at most 1000 characters').nullable(),
  events: eventsSchema,
  entities: entitiesSchema,
  status: z.enum(['ACTIVE', 'INACTIVE'], { error: 'status must be ACTIVE or INACTIVE' }),
  active: z.boolean({ error: 'active must be true or false' }),
  technicalContactId: z.string().max(256).nullable(),
  failureEmail: z.email({ error: 'failureEmail must be an email address' }).nullable(),
  headers: headersSchema,
  rateLimitPerSecond: z.number().int().min(1).max(10000).nullable(),
  metadata: metadataSchema,
  staticKey: z
    .string({ error: 'staticKey must be a string' })
    .regex(/^[\x21-\x7e]{16,256}$/, 'staticKey must be 16-256 printable characters without spaces')
    .nullable(),
  signatureProfiles: z
    .array(
      z.enum(['standard', 'compat', 'asymmetric'], {
        error: 'signatureProfiles entries must be standard, compat or asymmetric',
      }),
    )
    .min(1, 'signatureProfiles must list at least one of standard, compat')
    .refine(
      (p) => p.includes('standard') || p.includes('compat'),
      'signatureProfiles must list at least one of standard, compat',
    )
    .refine(
      (p) => !p.includes('asymmetric') || p.includes('standard'),
      'signatureProfiles asymmetric needs standard (v1a is sent in webhook-signature)',
    )
    .describe(
      'Signature headers: standard (webhook-signature v1 HMAC), compat (X-Webhook-*); asymmetric adds ed25519 v1a to standard',
    ),
  retrySchedule: z
    .array(z.number().int().min(0).max(172_800, 'retrySchedule delays must be at most 172800 seconds (48 h)'))
    .min(1, 'retrySchedule must list 1-20 delays')
    .max(20, 'retrySchedule must list 1-20 delays')
    .nullable(),
  maxConcurrency: z
    .number()
    .int()
    .min(1, 'maxConcurrency must be 1-1000')
    .max(1000, 'maxConcurrency must be 1-1000')
    .nullable(),
  // The upper bound is the deployment's delivery timeout, checked where it is known (the use cases).
  timeoutMs: z
    .number()
    .int('timeoutMs must be whole milliseconds')
    .min(100, 'timeoutMs must be at least 100 (ms)')
    .nullable()
    .describe(
      "Time budget of one attempt in ms, at most the deployment's (DELIVERY_TIMEOUT_MS, 5000 by default); null: the deployment's",
    ),
};

const optionalSettings = {
  description: writableFields.description.optional(),
  entities: entitiesSchema.optional(),
  status: writableFields.status.optional(),
  active: writableFields.active.optional(),
  technicalContactId: writableFields.technicalContactId.optional(),
  failureEmail: writableFields.failureEmail.optional(),
  headers: headersSchema.optional(),
  rateLimitPerSecond: writableFields.rateLimitPerSecond.optional(),
  metadata: metadataSchema.optional(),
  staticKey: writableFields.staticKey.optional(),
  signatureProfiles: writableFields.signatureProfiles.optional(),
  retrySchedule: writableFields.retrySchedule.optional(),
  maxConcurrency: writableFields.maxConcurrency.optional(),
  timeoutMs: writableFields.timeoutMs.optional(),
  filter: filterSchema.optional(),
};

export const createWebhookSchema = z
  .strictObject({
    ...optionalSettings,
    url: webhookUrlSchema,
    name: nameSchema.optional(),
    events: eventsSchema.optional(),
  })
  .refine((b) => b.events !== undefined || b.entities !== undefined, {
    message: 'events (or entities) is required',
    path: ['events'],
  });
export type CreateWebhookInput = z.infer<typeof createWebhookSchema>;

export const updateWebhookSchema = z.strictObject({
  ...optionalSettings,
  name: writableFields.name.optional(),
  url: writableFields.url.optional(),
  events: writableFields.events.optional(),
  version: z.number().int().min(1).optional(),
});
export type UpdateWebhookInput = z.infer<typeof updateWebhookSchema>;

export const listWebhooksQuerySchema = z.strictObject({
  name: z.string().max(50).optional(),
  status: z
    .enum(['ACTIVE', 'INACTIVE', 'DISABLED'], { error: 'status must be ACTIVE, INACTIVE or DISABLED' })
    .optional(),
  eventType: z.string().max(128).optional(),
  limit: z.coerce.number().int().min(1, 'limit must be 1-100').max(100, 'limit must be 1-100').default(50),
  cursor: z.string().max(64).optional(),
});

/** Event filters from either `events` or Mindset-style `entities`. */
export function eventFiltersOf(input: { events?: string[]; entities?: string[] }): string[] | undefined {
  if (input.events) return [...new Set(input.events)];
  if (input.entities) return [...new Set(input.entities.map((e) => `${e}.*`))];
  return undefined;
}

export function statusOf(input: {
  status?: 'ACTIVE' | 'INACTIVE';
  active?: boolean;
}): 'ACTIVE' | 'INACTIVE' | undefined {
  if (input.status) return input.status;
  if (input.active !== undefined) return input.active ? 'ACTIVE' : 'INACTIVE';
  return undefined;
}

/** The API representation. The secret is included only where the caller may see it. */
export function toWebhookResponse(w: WebhookEntity, options: { includeSecret?: boolean } = {}) {
  return {
    id: w.id,
    tenantId: w.tenantId,
    name: w.name,
    url: w.url,
    description: w.description,
    events: w.events,
    entities: w.events.filter((e) => e.endsWith('.*')).map((e) => e.slice(0, -2)),
    status: w.status,
    active: w.status === 'ACTIVE',
    disabledReason: w.disabledReason,
    technicalContactId: w.technicalContactId,
    failureEmail: w.failureEmail,
    headers: w.headers,
    rateLimitPerSecond: w.rateLimitPerSecond,
    metadata: w.metadata,
    version: w.version,
    creationDate: w.createdAt.toISOString(),
    lastModifiedDate: w.updatedAt.toISOString(),
    createdUserInfo: w.createdBy,
    lastModifiedUserInfo: w.modifiedBy,
    lastTriggeredAt: w.lastTriggeredAt ? w.lastTriggeredAt.toISOString() : null,
    publicKey: asksForV1a(w) ? w.publicKey : null,
    keyGenerationTimestamp: asksForV1a(w) && w.keyGeneratedAt ? w.keyGeneratedAt.toISOString() : null,
    staticKeyConfigured: w.staticKey !== null,
    signatureProfiles: w.signatureProfiles,
    retrySchedule: w.retrySchedule,
    maxConcurrency: w.maxConcurrency,
    timeoutMs: w.timeoutMs,
    filter: w.filter,
    previousSecretExpiresAt: activePreviousSecret(w) ? w.previousSecretExpiresAt!.toISOString() : null,
    ...(options.includeSecret ? { secret: w.secret } : {}),
  };
}

export type WebhookResponse = ReturnType<typeof toWebhookResponse>;

/** The webhook in an audit record: no secret, and custom header values (often tokens) masked. */
export function toAuditView(w: WebhookEntity): Record<string, unknown> {
  const view = toWebhookResponse(w);
  return { ...view, headers: Object.fromEntries(Object.keys(view.headers).map((h) => [h, '[redacted]'])) };
}

/** The secrets an admin may reveal: the current one, the one still valid during an overlap, the X-KEY. */
export function toSecretResponse(w: WebhookEntity, now = new Date()) {
  const previous = activePreviousSecret(w, now);
  return {
    id: w.id,
    secret: w.secret,
    previousSecret: previous ? w.previousSecret : null,
    previousSecretExpiresAt: previous ? w.previousSecretExpiresAt!.toISOString() : null,
    staticKey: w.staticKey,
  };
}

function activePreviousSecret(w: WebhookEntity, now = new Date()): boolean {
  return w.previousSecret !== null && w.previousSecretExpiresAt !== null && w.previousSecretExpiresAt > now;
}

/** `v1a` is signed only for webhooks that ask (profile `asymmetric`); ed25519 is costly per request. */
function asksForV1a(w: WebhookEntity): boolean {
  return w.signatureProfiles.includes('asymmetric') && w.publicKey !== null && w.privateKey !== null;
}

/** What the matcher and deliverer need to know about a webhook. */
export function toWebhookSnapshot(w: WebhookEntity, now = new Date()): WebhookSnapshot {
  const secrets = [{ secret: w.secret, expiresAt: null as string | null }];
  if (activePreviousSecret(w, now)) {
    secrets.push({ secret: w.previousSecret!, expiresAt: w.previousSecretExpiresAt!.toISOString() });
  }
  return {
    webhookId: w.id,
    tenantId: w.tenantId,
    version: w.version,
    status: w.status,
    url: w.url,
    events: w.events,
    secrets,
    headers: w.headers,
    updatedAt: w.updatedAt.toISOString(),
    name: w.name,
    signingKey: asksForV1a(w) ? { publicKey: w.publicKey!, privateKey: w.privateKey! } : null,
    staticKey: w.staticKey,
    signatureProfiles: w.signatureProfiles.filter((p) => p !== 'asymmetric'),
    rateLimitPerSecond: w.rateLimitPerSecond,
    maxConcurrency: w.maxConcurrency,
    timeoutMs: w.timeoutMs,
    retrySchedule: w.retrySchedule,
    filter: w.filter,
    technicalContactId: w.technicalContactId,
    notificationEmail: w.failureEmail,
    disabledReason: w.disabledReason,
    payloadTenantField: w.payloadTenantField,
  };
}
