import { z } from 'zod';
import { createApiKeySchema, listApiKeysQuerySchema } from '../api-keys/api-key.dto';
import { createEventTypeSchema, listEventTypesQuerySchema } from '../event-types/event-type.dto';
import { createWebhookSchema, listWebhooksQuerySchema, updateWebhookSchema } from '../webhook.dto';
import { rotateSecretSchema, sendTestEventSchema } from '../usecases';
import { createPortalSessionSchema } from '../portal-sessions/portal-session.dto';
import {
  apiKeyListSchema,
  apiKeyResponseSchema,
  currentPortalSessionSchema,
  eventTypeListSchema,
  eventTypeResponseSchema,
  portalSessionResponseSchema,
  testEventResultSchema,
  webhookListSchema,
  webhookResponseSchema,
  webhookSecretSchema,
} from './api-responses';

export interface ApiOperation {
  method: 'get' | 'post' | 'patch' | 'delete';
  /** OpenAPI form: `/v1/webhooks/{id}`. */
  path: string;
  operationId: string;
  summary: string;
  tag: 'Webhooks' | 'API keys' | 'Event types' | 'Portal sessions';
  scope: 'admin' | 'read' | 'operator' | 'session';
  body?: z.ZodType;
  query?: z.ZodObject;
  ifMatch?: boolean;
  idempotencyKey?: boolean;
  success: { status: number; description: string; schema?: z.ZodType };
  /** Refusals besides 400/401/403 that this route can answer. */
  refusals?: number[];
}

const byId = '/v1/webhooks/{id}';

/** Every public route of the subscription API; a unit test checks it against the controllers. */
export const apiOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/v1/webhooks',
    operationId: 'createWebhook',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Create a webhook (the secret is in the answer)',
    body: createWebhookSchema,
    idempotencyKey: true,
    success: { status: 201, description: 'Created', schema: webhookResponseSchema },
    refusals: [409, 422],
  },
  {
    method: 'get',
    path: '/v1/webhooks',
    operationId: 'listWebhooks',
    tag: 'Webhooks',
    scope: 'read',
    summary: 'List webhooks: search by name, filter by status or event type, cursor pages in id order',
    query: listWebhooksQuerySchema,
    success: { status: 200, description: 'A page of webhooks', schema: webhookListSchema },
  },
  {
    method: 'get',
    path: byId,
    operationId: 'getWebhook',
    tag: 'Webhooks',
    scope: 'read',
    summary: 'Get one webhook',
    success: { status: 200, description: 'The webhook', schema: webhookResponseSchema },
    refusals: [404],
  },
  {
    method: 'patch',
    path: byId,
    operationId: 'updateWebhook',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Change some fields (pause with {"active":false})',
    body: updateWebhookSchema,
    ifMatch: true,
    success: { status: 200, description: 'The changed webhook', schema: webhookResponseSchema },
    refusals: [404, 409, 412],
  },
  {
    method: 'delete',
    path: byId,
    operationId: 'deleteWebhook',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Delete a webhook',
    ifMatch: true,
    success: { status: 204, description: 'Deleted' },
    refusals: [404, 412],
  },
  {
    method: 'post',
    path: `${byId}/activate`,
    operationId: 'activateWebhook',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Activate (also clears a system DISABLED state)',
    ifMatch: true,
    success: { status: 200, description: 'The webhook', schema: webhookResponseSchema },
    refusals: [404, 412],
  },
  {
    method: 'post',
    path: `${byId}/deactivate`,
    operationId: 'deactivateWebhook',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Deactivate (pause)',
    ifMatch: true,
    success: { status: 200, description: 'The webhook', schema: webhookResponseSchema },
    refusals: [404, 412],
  },
  {
    method: 'get',
    path: `${byId}/secret`,
    operationId: 'revealWebhookSecret',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Reveal the signing secret(s) and X-KEY ("copy secret"; audited)',
    success: { status: 200, description: 'The secrets', schema: webhookSecretSchema },
    refusals: [404],
  },
  {
    method: 'post',
    path: `${byId}/rotate-secret`,
    operationId: 'rotateWebhookSecret',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Rotate the secret; the old one keeps signing during the overlap',
    body: rotateSecretSchema,
    ifMatch: true,
    success: { status: 200, description: 'The webhook with its new secret', schema: webhookResponseSchema },
    refusals: [404, 412],
  },
  {
    method: 'post',
    path: `${byId}/rotate-key`,
    operationId: 'rotateWebhookKey',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Replace the ed25519 key pair (the public key is returned); only with the asymmetric profile',
    ifMatch: true,
    success: { status: 200, description: 'The webhook', schema: webhookResponseSchema },
    refusals: [404, 409, 412],
  },
  {
    method: 'post',
    path: `${byId}/test`,
    operationId: 'sendTestEvent',
    tag: 'Webhooks',
    scope: 'admin',
    summary: 'Send one signed test event now and return the outcome',
    body: sendTestEventSchema,
    success: {
      status: 200,
      description: 'What happened (also when the receiver failed)',
      schema: testEventResultSchema,
    },
    refusals: [404],
  },
  {
    method: 'post',
    path: '/v1/api-keys',
    operationId: 'createApiKey',
    tag: 'API keys',
    scope: 'admin',
    summary: 'Create an API key (the token is shown once)',
    body: createApiKeySchema,
    success: { status: 201, description: 'Created', schema: apiKeyResponseSchema },
  },
  {
    method: 'get',
    path: '/v1/api-keys',
    operationId: 'listApiKeys',
    tag: 'API keys',
    scope: 'admin',
    summary: "List the tenant's API keys (never the tokens)",
    query: listApiKeysQuerySchema,
    success: { status: 200, description: 'The keys', schema: apiKeyListSchema },
  },
  {
    method: 'delete',
    path: '/v1/api-keys/{id}',
    operationId: 'revokeApiKey',
    tag: 'API keys',
    scope: 'admin',
    summary:
      'Revoke an API key (effective at once; on POST /v1/events once event-ingest has read the revocation, typically well under a second)',
    success: { status: 204, description: 'Revoked' },
    refusals: [404],
  },
  {
    method: 'post',
    path: '/v1/event-types',
    operationId: 'createEventType',
    tag: 'Event types',
    scope: 'operator',
    summary: 'Declare an event type, optionally with a JSON Schema for its data',
    body: createEventTypeSchema,
    success: { status: 201, description: 'Created', schema: eventTypeResponseSchema },
    refusals: [409],
  },
  {
    method: 'get',
    path: '/v1/event-types',
    operationId: 'listEventTypes',
    tag: 'Event types',
    scope: 'read',
    summary: 'List the event-type catalog',
    query: listEventTypesQuerySchema,
    success: { status: 200, description: 'The catalog', schema: eventTypeListSchema },
  },
  {
    method: 'get',
    path: '/v1/event-types/{name}',
    operationId: 'getEventType',
    tag: 'Event types',
    scope: 'read',
    summary: 'Get one event type',
    success: { status: 200, description: 'The event type', schema: eventTypeResponseSchema },
    refusals: [404],
  },
  {
    method: 'post',
    path: '/v1/event-types/{name}/deprecate',
    operationId: 'deprecateEventType',
    tag: 'Event types',
    scope: 'operator',
    summary: 'Deprecate an event type (no new subscriptions)',
    success: { status: 200, description: 'The event type', schema: eventTypeResponseSchema },
    refusals: [404],
  },
  {
    method: 'post',
    path: '/v1/portal-sessions',
    operationId: 'createPortalSession',
    tag: 'Portal sessions',
    scope: 'admin',
    summary:
      'Open a portal session for one tenant: a one-time link to the portal (full or read-only, optional webhook or event-type subset, expiry, branding)',
    body: createPortalSessionSchema,
    success: { status: 201, description: 'Created; the link is shown only here', schema: portalSessionResponseSchema },
  },
  {
    method: 'get',
    path: '/v1/portal-sessions/current',
    operationId: 'getCurrentPortalSession',
    tag: 'Portal sessions',
    scope: 'session',
    summary: "The calling portal session's tenant, scope, subset and branding",
    success: { status: 200, description: 'The session', schema: currentPortalSessionSchema },
    refusals: [404],
  },
  {
    method: 'delete',
    path: '/v1/portal-sessions/{id}',
    operationId: 'revokePortalSession',
    tag: 'Portal sessions',
    scope: 'admin',
    summary: 'Revoke a portal session (or its unopened link) at once',
    success: { status: 204, description: 'Revoked' },
    refusals: [404],
  },
];
