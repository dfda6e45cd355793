import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OutboxMessage } from '@herald/persistence';
import { CreateWebhookUseCase } from './create-webhook.usecase';
import { OutboxRelay } from './outbox-relay';
import { DeleteWebhookUseCase, UpdateWebhookUseCase } from './update-webhook.usecase';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { WebhookQueries } from './webhook-queries';
import { WebhookWriter } from './webhook-writer';
import { WebhooksController } from './webhooks.controller';

export const webhookEntities = [WebhookEndpoint, OutboxMessage];

/** Needs PersistenceModule (with `webhookEntities`), KafkaModule and AUTH_OPTIONS from the app. */
@Module({
  imports: [TypeOrmModule.forFeature([WebhookEndpoint, OutboxMessage])],
  controllers: [WebhooksController],
  providers: [

    OutboxRelay,
    WebhookWriter,
    CreateWebhookUseCase,
    UpdateWebhookUseCase,
    DeleteWebhookUseCase,
    WebhookQueries,
  ],
})
export class WebhooksModule {}
