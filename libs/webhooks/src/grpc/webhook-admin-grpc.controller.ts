import { Controller } from '@nestjs/common';
import { GrpcMethod } from '@nestjs/microservices';
import type { Metadata } from '@grpc/grpc-js';
import { ApiAccess, badRequest, parseInput, type Principal, type Scope } from '@herald/http';
import { ApiKeyQueries } from '../api-keys/api-key-queries';
import { createApiKeySchema } from '../api-keys/api-key.dto';
import { EventTypeQueries } from '../event-types/event-type-queries';
import { createEventTypeSchema, type toEventTypeResponse } from '../event-types/event-type.dto';
import { idempotencyKeyPattern } from '../idempotency-keys';
import type { ExpectedVersion } from '../webhook-mutation';
import { WebhookQueries } from '../webhook-queries';
import { createWebhookSchema, listWebhooksQuerySchema, toWebhookResponse, updateWebhookSchema } from '../webhook.dto';
import {
  CreateApiKeyUseCase,
  CreateEventTypeUseCase,
  CreateWebhookUseCase,
  DeleteWebhookUseCase,
  DeprecateEventTypeUseCase,
  RevealWebhookSecretUseCase,
  RevokeApiKeyUseCase,
  RotateWebhookKeyPairUseCase,
  RotateWebhookSecretUseCase,
  SendTestEventUseCase,
  SetWebhookStatusUseCase,
  UpdateWebhookUseCase,
  rotateSecretSchema,
  sendTestEventSchema,
} from '../usecases';
import { toRpcException } from './admin-grpc';

type Request = Record<string, unknown>;

/** Proto3 cannot tell an unset repeated field or map from an empty one: empty means "not given". */
function given(request: Request, omit: string[] = []): Request {
  const out: Request = {};
  for (const [key, value] of Object.entries(request)) {
    if (omit.includes(key) || value === undefined || value === null) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value as object).length === 0) continue;
    out[key] = value;
  }
  return out;
}

function expectedOf(request: Request): ExpectedVersion | undefined {
  return typeof request.expectedVersion === 'number'
    ? { version: request.expectedVersion, from: 'if-match' }
    : undefined;
}

function parseJsonObject(text: unknown, field: string): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value;
  } catch {
    // fall through to the refusal below
  }
  throw badRequest(`${field} must be a JSON object`);
}

const eventTypeMessage = (t: ReturnType<typeof toEventTypeResponse>) => ({
  ...t,
  schemaJson: t.schema ? JSON.stringify(t.schema) : undefined,
});

/**
 * The admin API over gRPC: each method turns the message into the REST input and calls the same use case
 * under the same authorization and zod schemas, so both transports behave alike.
 */
@Controller()
export class WebhookAdminGrpcController {
  constructor(
    private readonly access: ApiAccess,
    private readonly createWebhook: CreateWebhookUseCase,
    private readonly updateWebhook: UpdateWebhookUseCase,
    private readonly setStatus: SetWebhookStatusUseCase,
    private readonly deleteWebhook: DeleteWebhookUseCase,
    private readonly revealSecret: RevealWebhookSecretUseCase,
    private readonly rotateSecret: RotateWebhookSecretUseCase,
    private readonly rotateKeyPair: RotateWebhookKeyPairUseCase,
    private readonly sendTestEvent: SendTestEventUseCase,
    private readonly webhooks: WebhookQueries,
    private readonly createApiKey: CreateApiKeyUseCase,
    private readonly revokeApiKey: RevokeApiKeyUseCase,
    private readonly apiKeys: ApiKeyQueries,
    private readonly createEventTypeUseCase: CreateEventTypeUseCase,
    private readonly deprecateEventTypeUseCase: DeprecateEventTypeUseCase,
    private readonly eventTypes: EventTypeQueries,
  ) {}

  /** Authenticates, limits and checks the scope exactly as REST does (ApiAccess), then runs the action. */
  private async call<T>(
    rpc: string,
    metadata: Metadata,
    scope: Scope,
    action: (principal: Principal) => Promise<T>,
  ): Promise<T> {
    try {
      const principal = await this.access.authorize({
        authorization: metadata.get('authorization')[0]?.toString(),
        tenant: metadata.get('x-tenant-id')[0]?.toString(),
        scope,
        operation: `WebhookAdmin.${rpc}`,
      });
      return await action(principal);
    } catch (error) {
      throw toRpcException(error);
    }
  }

  @GrpcMethod('WebhookAdmin', 'CreateWebhook')
  create(request: Request, metadata: Metadata) {
    return this.call('CreateWebhook', metadata, 'admin', (principal) => {
      const key = request.idempotencyKey as string | undefined;
      if (key !== undefined && !idempotencyKeyPattern.test(key)) {
        throw badRequest('idempotency_key must be 1-255 printable characters without spaces');
      }
      const input = parseInput(createWebhookSchema, given(request, ['idempotencyKey']));
      return this.createWebhook.execute({ principal, input, idempotencyKey: key });
    });
  }

  @GrpcMethod('WebhookAdmin', 'GetWebhook')
  get(request: Request, metadata: Metadata) {
    return this.call('GetWebhook', metadata, 'read', async (principal) =>
      toWebhookResponse(await this.webhooks.get(principal, String(request.id))),
    );
  }

  @GrpcMethod('WebhookAdmin', 'ListWebhooks')
  list(request: Request, metadata: Metadata) {
    return this.call('ListWebhooks', metadata, 'read', (principal) =>
      this.webhooks.list(principal, parseInput(listWebhooksQuerySchema, given(request), 'request')),
    );
  }

  @GrpcMethod('WebhookAdmin', 'UpdateWebhook')
  update(request: Request, metadata: Metadata) {
    return this.call('UpdateWebhook', metadata, 'admin', (principal) => {
      const input = parseInput(updateWebhookSchema, given(request, ['id', 'expectedVersion']));
      return this.updateWebhook.execute({
        principal,
        webhookId: String(request.id),
        input,
        expected: expectedOf(request),
      });
    });
  }

  @GrpcMethod('WebhookAdmin', 'DeleteWebhook')
  remove(request: Request, metadata: Metadata) {
    return this.call('DeleteWebhook', metadata, 'admin', async (principal) => {
      await this.deleteWebhook.execute({ principal, webhookId: String(request.id), expected: expectedOf(request) });
      return {};
    });
  }

  @GrpcMethod('WebhookAdmin', 'ActivateWebhook')
  activate(request: Request, metadata: Metadata) {
    return this.call('ActivateWebhook', metadata, 'admin', (principal) =>
      this.setStatus.execute({ principal, webhookId: String(request.id), active: true, expected: expectedOf(request) }),
    );
  }

  @GrpcMethod('WebhookAdmin', 'DeactivateWebhook')
  deactivate(request: Request, metadata: Metadata) {
    return this.call('DeactivateWebhook', metadata, 'admin', (principal) =>
      this.setStatus.execute({
        principal,
        webhookId: String(request.id),
        active: false,
        expected: expectedOf(request),
      }),
    );
  }

  @GrpcMethod('WebhookAdmin', 'RevealWebhookSecret')
  secret(request: Request, metadata: Metadata) {
    return this.call('RevealWebhookSecret', metadata, 'admin', (principal) =>
      this.revealSecret.execute({ principal, webhookId: String(request.id) }),
    );
  }

  @GrpcMethod('WebhookAdmin', 'RotateWebhookSecret')
  rotate(request: Request, metadata: Metadata) {
    return this.call('RotateWebhookSecret', metadata, 'admin', (principal) => {
      const { overlapSeconds } = parseInput(rotateSecretSchema, given(request, ['id', 'expectedVersion']));
      return this.rotateSecret.execute({
        principal,
        webhookId: String(request.id),
        expected: expectedOf(request),
        overlapSeconds,
      });
    });
  }

  @GrpcMethod('WebhookAdmin', 'RotateWebhookKey')
  rotateKey(request: Request, metadata: Metadata) {
    return this.call('RotateWebhookKey', metadata, 'admin', (principal) =>
      this.rotateKeyPair.execute({ principal, webhookId: String(request.id), expected: expectedOf(request) }),
    );
  }

  @GrpcMethod('WebhookAdmin', 'SendTestEvent')
  test(request: Request, metadata: Metadata) {
    return this.call('SendTestEvent', metadata, 'admin', async (principal) => {
      const input = parseInput(sendTestEventSchema, {
        eventType: request.eventType,
        data: parseJsonObject(request.dataJson, 'data_json'),
      });
      const result = await this.sendTestEvent.execute({ principal, webhookId: String(request.id), input });
      return { ...result, responseStatus: result.response?.status, responseBody: result.response?.body };
    });
  }

  @GrpcMethod('WebhookAdmin', 'CreateApiKey')
  createKey(request: Request, metadata: Metadata) {
    return this.call('CreateApiKey', metadata, 'admin', (principal) =>
      this.createApiKey.execute({ principal, input: parseInput(createApiKeySchema, given(request)) }),
    );
  }

  @GrpcMethod('WebhookAdmin', 'ListApiKeys')
  listKeys(request: Request, metadata: Metadata) {
    return this.call('ListApiKeys', metadata, 'admin', (principal) =>
      this.apiKeys.list(principal, request.includeRevoked === true),
    );
  }

  @GrpcMethod('WebhookAdmin', 'RevokeApiKey')
  revokeKey(request: Request, metadata: Metadata) {
    return this.call('RevokeApiKey', metadata, 'admin', async (principal) => {
      await this.revokeApiKey.execute({ principal, keyId: String(request.id) });
      return {};
    });
  }

  @GrpcMethod('WebhookAdmin', 'CreateEventType')
  createEventType(request: Request, metadata: Metadata) {
    return this.call('CreateEventType', metadata, 'admin', async (principal) => {
      const input = parseInput(createEventTypeSchema, {
        ...given(request, ['schemaJson']),
        schema: parseJsonObject(request.schemaJson, 'schema_json'),
      });
      return eventTypeMessage(await this.createEventTypeUseCase.execute({ principal, input }));
    });
  }

  @GrpcMethod('WebhookAdmin', 'ListEventTypes')
  listEventTypes(request: Request, metadata: Metadata) {
    return this.call('ListEventTypes', metadata, 'read', async () => {
      const { data } = await this.eventTypes.list(request.includeDeprecated === true);
      return { data: data.map(eventTypeMessage) };
    });
  }

  @GrpcMethod('WebhookAdmin', 'DeprecateEventType')
  deprecateEventType(request: Request, metadata: Metadata) {
    return this.call('DeprecateEventType', metadata, 'admin', async (principal) =>
      eventTypeMessage(await this.deprecateEventTypeUseCase.execute({ principal, name: String(request.name) })),
    );
  }
}
