import { Module, type DynamicModule } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxMessage } from '@herald/persistence';
import { ApiKey } from './api-keys/api-key.entity';
import { ApiKeyQueries } from './api-keys/api-key-queries';
import { ApiKeyRecordsBackfill } from './api-keys/api-key-record';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { DisableRequestsConsumer } from './disable-requests.consumer';
import { EventType } from './event-types/event-type.entity';
import { EventTypeCatalog } from './event-types/event-type-catalog';
import { EventTypeQueries } from './event-types/event-type-queries';
import { EventTypesController } from './event-types/event-types.controller';
import { WebhookAdminGrpcController } from './grpc/webhook-admin-grpc.controller';
import { OpenApiController } from './openapi/openapi.controller';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { PortalSession } from './portal-sessions/portal-session.entity';
import { PortalSessionLinkController, PortalSessionsController } from './portal-sessions/portal-sessions.controller';
import {
  CreatePortalSessionUseCase,
  OpenPortalSessionUseCase,
  RevokePortalSessionUseCase,
} from './portal-sessions/usecases';
import {
  CreateApiKeyUseCase,
  CreateEventTypeUseCase,
  CreateWebhookUseCase,
  DeleteWebhookUseCase,
  DeprecateEventTypeUseCase,
  DisableWebhookUseCase,
  RevealWebhookSecretUseCase,
  RevokeApiKeyUseCase,
  RotateWebhookKeyPairUseCase,
  RotateWebhookSecretUseCase,
  SendTestEventUseCase,
  SendUrlTestUseCase,
  SetWebhookStatusUseCase,
  UpdateWebhookUseCase,
} from './usecases';
import { WebhookEntity } from './webhook.entity';
import { WebhookQueries } from './webhook-queries';
import { WebhookUrlPolicy } from './webhook-url-policy';
import { WebhookWriter } from './webhook-writer';
import { SecretReseal } from './secret-reseal';
import { WebhooksController } from './webhooks.controller';
import { WEBHOOKS_OPTIONS, type WebhooksOptions } from './webhooks.options';

export const webhookEntities = [WebhookEntity, OutboxMessage, ApiKey, EventType, PortalSession];

const useCases = [
  CreateWebhookUseCase,
  UpdateWebhookUseCase,
  SetWebhookStatusUseCase,
  DeleteWebhookUseCase,
  RevealWebhookSecretUseCase,
  RotateWebhookSecretUseCase,
  RotateWebhookKeyPairUseCase,
  SendTestEventUseCase,
  SendUrlTestUseCase,
  CreateApiKeyUseCase,
  RevokeApiKeyUseCase,
  CreateEventTypeUseCase,
  DeprecateEventTypeUseCase,
  CreatePortalSessionUseCase,
  OpenPortalSessionUseCase,
  RevokePortalSessionUseCase,
];

/**
 * The subscription API: webhooks, API keys and the event-type catalog. Needs PersistenceModule
 * (with `webhookEntities`), KafkaModule and AuthModule (with PgApiKeyResolver) from the app.
 */
@Module({})
export class WebhooksModule {
  static forRoot(options: WebhooksOptions): DynamicModule {
    return {
      module: WebhooksModule,
      imports: [TypeOrmModule.forFeature(webhookEntities)],
      controllers: [
        WebhooksController,
        ApiKeysController,
        EventTypesController,
        WebhookAdminGrpcController,
        OpenApiController,
        PortalSessionsController,
        PortalSessionLinkController,
      ],
      providers: [
        { provide: WEBHOOKS_OPTIONS, useValue: options },
        OutboxRelay,
        OutboxWriter,
        WebhookWriter,
        WebhookUrlPolicy,
        EventTypeCatalog,
        WebhookQueries,
        ApiKeyQueries,
        EventTypeQueries,
        ...useCases,
        ApiKeyRecordsBackfill,
        SecretReseal,
        // The deliverer's disable requests (410 Gone, failing too long), applied like an admin change.
        DisableWebhookUseCase,
        DisableRequestsConsumer,
      ],
      exports: [WEBHOOKS_OPTIONS, OutboxWriter, WebhookQueries, ...useCases],
    };
  }
}
