import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import { TopicContracts, type DisableWebhookRequest } from '@herald/contracts';
import { KafkaRuntime, onTopic } from '@herald/kafka';
import { LOGGER } from '@herald/observability';
import { DisableWebhookUseCase } from './usecases/disable-webhook/disable-webhook.usecase';

/** Applies the deliverer's requests to disable webhooks (`webhooks.disable-requests`). */
@Injectable()
export class DisableRequestsConsumer implements OnApplicationBootstrap {
  constructor(
    private readonly runtime: KafkaRuntime,
    private readonly disable: DisableWebhookUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const client = this.runtime.client;
    // Unreadable requests go to the contract's dead-letter topic (webhooks.delivery-health.dlq).
    await this.runtime
      .consume({
        groupId: `${client.settings.topicPrefix}herald-subscription-api-disable-requests`,
        handlers: [onTopic(TopicContracts.disableRequests, (request) => this.apply(request))],
        concurrency: 1,
      })
      .start();
  }

  private async apply(request: DisableWebhookRequest): Promise<void> {
    const { disabled } = await this.disable.execute(request);
    this.logger.info({ webhookId: request.webhookId, disabled, reason: request.reason }, 'disable request applied');
  }
}
