import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiKey } from '../api-keys/api-key.entity';
import { toApiKeyResponse } from '../api-keys/api-key.dto';
import { EventType } from '../event-types/event-type.entity';
import { toEventTypeResponse } from '../event-types/event-type.dto';
import { PortalSession } from '../portal-sessions/portal-session.entity';
import { toCurrentPortalSessionResponse, toPortalSessionResponse } from '../portal-sessions/portal-session.dto';
import { WebhookEntity } from '../webhook.entity';
import { WebhooksModule } from '../webhooks.module';
import type { WebhooksOptions } from '../webhooks.options';
import { toSecretResponse, toWebhookResponse } from '../webhook.dto';
import {
  apiKeyResponseSchema,
  currentPortalSessionSchema,
  eventTypeResponseSchema,
  portalSessionResponseSchema,
  webhookResponseSchema,
  webhookSecretSchema,
} from './api-responses';
import { buildOpenApiDocument, controllerRoutes, documentedRoutes, renderDocsPage } from '@herald/openapi';
import { ingestApiPart } from '@herald/ingest';
import { eventLogApiPart } from '@herald/event-log';
import { profilesApiPart } from '@herald/profiles';
import { apiOperations, subscriptionApiPart } from './api-operations';
import { profileApiSchemas } from '../profile-api-schemas';

const CHECKED_IN = resolve(__dirname, '../../openapi.json');
/** The checked-in document (the SDK's source) covers every public service, not only this one. */
const herald = () =>
  buildOpenApiDocument([subscriptionApiPart, profilesApiPart(profileApiSchemas), ingestApiPart, eventLogApiPart]);

describe('OpenAPI document', () => {
  it('describes the portal session answer as toPortalSessionResponse builds it', () => {
    const session = Object.assign(new PortalSession(), {
      id: 'ps_1',
      tenantId: 'acme',
      scope: 'read-only',
      webhookIds: null,
      eventTypes: ['agent.created'],
      branding: { primaryColor: '#aa3300' },
      linkHash: 'h',
      sessionHash: null,
      createdBy: { userId: 'k', userName: 'k' },
      createdAt: new Date(),
      expiresAt: new Date(),
      openedAt: null,
      revokedAt: null,
    } satisfies PortalSession);
    const answer = { ...toPortalSessionResponse(session), url: 'http://127.0.0.1/admin/session/hpl_x' };
    expect(() => portalSessionResponseSchema.parse(answer)).not.toThrow();
    const current = toCurrentPortalSessionResponse({ ...session, branding: null });
    expect(currentPortalSessionSchema.parse(current)).toEqual({ ...current, branding: {} });
  });

  it('is checked in and current (regenerate: HERALD_UPDATE_OPENAPI=1 npx jest libs/webhooks/src/openapi --selectProjects unit)', () => {
    const current = `${JSON.stringify(herald(), null, 2)}\n`;
    if (process.env.HERALD_UPDATE_OPENAPI === '1') writeFileSync(CHECKED_IN, current);
    expect(readFileSync(CHECKED_IN, 'utf8')).toBe(current);
  });

  it('describes exactly the routes the controllers serve', () => {
    // Every controller the module registers: a served route missing from the document fails here.
    const { controllers = [] } = WebhooksModule.forRoot({} as WebhooksOptions);
    const notApi = ['GET /admin/session/{token}', 'GET /docs', 'GET /openapi.json']; // a browser link, the document itself
    const served = controllerRoutes(controllers).filter((route) => !notApi.includes(route));
    expect(documentedRoutes(apiOperations)).toEqual(served);
    expect(controllerRoutes(controllers)).toEqual(expect.arrayContaining(notApi));
  });

  it('carries the zod bounds of the request bodies', () => {
    const create = herald().paths['/v1/webhooks'].post as any;
    const body = create.requestBody.content['application/json'].schema;
    expect(body.properties.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 50 });
    expect(body.properties.url).toMatchObject({ type: 'string', maxLength: 500 });
    expect(body.required).toEqual(['url']);
    expect(body.additionalProperties).toBe(false);
  });

  it('puts publishing and the event and attempt reads beside the subscription API', () => {
    const paths = herald().paths as Record<string, Record<string, any>>;
    const publish = paths['/v1/events'].post;
    expect(Object.keys(publish.responses).sort()).toEqual(['200', '202', '400', '401', '403', '409']);
    const body = publish.requestBody.content['application/json'].schema;
    expect(body.required).toEqual(['eventType', 'tenantId']);
    expect(body.properties.idempotencyKey).toMatchObject({ type: 'string', maxLength: 256 });
    expect(paths['/v1/messages/{eventId}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Event',
    });
    const attempts = paths['/v1/attempts'].get.parameters.map((p: { name: string }) => p.name);
    expect(attempts).toEqual(expect.arrayContaining(['eventId', 'webhookId', 'cursor', 'limit']));
  });

  it('refuses an operation declared twice', () => {
    expect(() => buildOpenApiDocument([subscriptionApiPart, subscriptionApiPart])).toThrow(
      'POST /v1/webhooks is declared twice',
    );
  });

  it('documents response shapes that the code really returns', () => {
    const now = new Date();
    const user = { userId: 'key_1', userName: 'ci' };
    const webhook = Object.assign(new WebhookEntity(), {
      id: 'wh_1',
      tenantId: 't',
      name: 'n',
      url: 'https://example.com',
      description: null,
      events: ['agent.*'],
      status: 'ACTIVE',
      disabledReason: null,
      technicalContactId: null,
      failureEmail: null,
      headers: {},
      rateLimitPerSecond: null,
      metadata: {},
      secret: 'whsec_x',
      previousSecret: 'whsec_y',
      previousSecretExpiresAt: new Date(now.getTime() + 60_000),
      publicKey: 'pk',
      privateKey: 'sk',
      keyGeneratedAt: now,
      staticKey: null,
      signatureProfiles: ['standard'],
      retrySchedule: null,
      maxConcurrency: null,
      timeoutMs: null,
      filter: 'event.data.amount >= 100.0',
      version: 1,
      createdBy: user,
      modifiedBy: user,
      createdAt: now,
      updatedAt: now,
      lastTriggeredAt: null,
      payloadTenantField: 'tenantId',
    } satisfies WebhookEntity);
    expect(() => webhookResponseSchema.parse(toWebhookResponse(webhook, { includeSecret: true }))).not.toThrow();
    expect(() => webhookSecretSchema.parse(toSecretResponse(webhook))).not.toThrow();
    expect(toWebhookResponse(webhook)).not.toHaveProperty('privateKey');
    const key = Object.assign(new ApiKey(), {
      id: 'key_1',
      tenantId: 't',
      name: 'ci',
      scopes: ['read'],
      keyHash: 'h',
      keyPrefix: 'hk_abc…',
      createdBy: user,
      createdAt: now,
      revokedAt: null,
    } satisfies ApiKey);
    expect(() => apiKeyResponseSchema.parse(toApiKeyResponse(key))).not.toThrow();
    const type = Object.assign(new EventType(), {
      name: 'agent.created',
      description: null,
      schema: { type: 'object' },
      deprecated: false,
      version: 1,
      createdAt: now,
      updatedAt: now,
    } satisfies EventType);
    expect(() => eventTypeResponseSchema.parse(toEventTypeResponse(type))).not.toThrow();
  });

  it('renders /docs without scripts, escaping text', () => {
    const page = renderDocsPage(herald());
    expect(page).toContain('<code>/v1/webhooks/{id}/rotate-secret</code>');
    expect(page).not.toContain('<script');
  });
});
